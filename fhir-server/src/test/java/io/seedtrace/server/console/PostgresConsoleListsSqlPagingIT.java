package io.seedtrace.server.console;

import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console lists' SQL paging on real PostgreSQL (embedded binaries), with the {@code postgres}
 * profile as users run it: the same SQL over HAPI's index tables must hold there too (the tests and
 * their assertions are in {@link ConsoleListsSqlPagingTests}).
 */
@ActiveProfiles("postgres")
class PostgresConsoleListsSqlPagingIT extends ConsoleListsSqlPagingTests {

  private static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestDatabases.usePostgres(registry, POSTGRES);
    // a context of its own beside the cached H2 one and PostgresFhirIT's: a spool can be open only once
    registry.add("seedtrace.dicom.spool-dir", () -> DATA_DIR.resolve("dicom-console-postgres").toString());
  }
}
