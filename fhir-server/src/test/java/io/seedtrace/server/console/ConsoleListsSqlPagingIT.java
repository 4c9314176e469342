package io.seedtrace.server.console;

/** The console lists' SQL paging on the default in-memory H2. */
class ConsoleListsSqlPagingIT extends ConsoleListsSqlPagingTests {}
