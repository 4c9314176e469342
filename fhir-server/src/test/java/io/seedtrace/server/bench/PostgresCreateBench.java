package io.seedtrace.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sequential create throughput on PostgreSQL 14 (embedded binaries). Run: see README "Benchmarks". */
@ActiveProfiles("postgres")
class PostgresCreateBench extends ServerTestBase {

  private static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestDatabases.usePostgres(registry, POSTGRES);
  }

  @Test
  void sequentialCreates() {
    List<Double> rates = CreateThroughput.measure(fhirAs("admin"), 50, 5, 200);
    System.out.println("BENCH " + CreateThroughput.summary("PostgreSQL", rates));
    assertThat(rates).hasSize(5).allSatisfy(r -> assertThat(r).isPositive());
  }
}
