package io.seedtrace.server.console;

/**
 * The console lists' SQL paging on the default in-memory H2; the tests and their assertions are in
 * {@link ConsoleListsSqlPagingTests}.
 */
class ConsoleListsSqlPagingIT extends ConsoleListsSqlPagingTests {}
