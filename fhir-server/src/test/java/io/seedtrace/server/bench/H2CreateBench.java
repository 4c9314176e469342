package io.seedtrace.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.ServerTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequential create throughput on the default H2 file database. Run: see README "Benchmarks". */
class H2CreateBench extends ServerTestBase {

  @Test
  void sequentialCreates() {
    List<Double> rates = CreateThroughput.measure(fhirAs("admin"), 50, 5, 200);
    System.out.println("BENCH " + CreateThroughput.summary("H2", rates));
    assertThat(rates).hasSize(5).allSatisfy(r -> assertThat(r).isPositive());
  }
}
