package io.seedtrace.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.ServerTestBase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sequential create throughput on PostgreSQL 14 (embedded binaries). Run: see README "Benchmarks". */
@ActiveProfiles("postgres")
class PostgresCreateBench extends ServerTestBase {

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
  }

  @Test
  void sequentialCreates() {
    List<Double> rates = CreateThroughput.measure(fhirAs("admin"), 50, 5, 200);
    System.out.println("BENCH " + CreateThroughput.summary("PostgreSQL", rates));
    assertThat(rates).hasSize(5).allSatisfy(r -> assertThat(r).isPositive());
  }
}
