package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

/**
 * Time per custody operation over HTTP with real tokens on the default H2 database: 100 cartridges
 * go through order, shipment, $chip-read, $assemble, implant, $seal and $trace; the median and
 * range of each call is printed (the first 10 of each are warm-up and not counted). Run: see
 * README "Benchmarks".
 */
class CustodyBench extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void hundredCartridgesThroughTheChain() throws Exception {
    int warmup = 10;
    int measured = 100;
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 1000, 100_000);
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (String op : List.of("order (create)", "$chip-read", "$assemble", "$seal", "$trace")) {
      times.put(op, new ArrayList<>());
    }
    for (int i = 0; i < warmup + measured; i++) {
      boolean count = i >= warmup;
      long t0 = System.nanoTime();
      String order = CustodyFixture.id(as("physician").create().resource(fx.order(60, 888, fx.locationId)).execute()
          .getId());
      record(times, "order (create)", t0, count);
      String serial = "B-" + fx.tag + "-" + i;
      as("manufacturer").create().resource(fx.shipment(order, serial)).execute();
      byte[] chip = fx.chip(fx.cartridge(serial, 60, Instant.now().minus(2, ChronoUnit.DAYS)));
      t0 = System.nanoTime();
      String device = CustodyChainIT.ref(CustodyChainIT.chipRead(as("nurse"), chip), "device");
      record(times, "$chip-read", t0, count);
      t0 = System.nanoTime();
      CustodyChainIT.assemble(as("physicist"), device, 56, 14.2, 0.05);
      record(times, "$assemble", t0, count);
      String patient = CustodyFixture.id(as("physician").create().resource(new Patient()).execute().getId());
      Procedure implant = fx.implant(patient, device, "ACC-" + serial, 56, new Date());
      as("physician").create().resource(implant).execute();
      t0 = System.nanoTime();
      Parameters sealed = CustodyChainIT.seal(as("nurse"), device, "Patient " + i, "IP-" + i, 0);
      record(times, "$seal", t0, count);
      String key = sealed.getParameterValue("traceKey").primitiveValue();
      t0 = System.nanoTime();
      CustodyChainIT.trace(as("physician"), device, key, Optional.empty(), Map.of());
      record(times, "$trace", t0, count);
    }
    long t0 = System.nanoTime();
    Parameters chain = as("auditor").operation().onServer().named("$verify-audit-chain")
        .withNoParameters(Parameters.class).useHttpGet().execute();
    double verifyMs = (System.nanoTime() - t0) / 1e6;
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      double[] ms = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("BENCH custody %-15s n=%d median %.1f ms, min %.1f, max %.1f ms%n", e.getKey(), ms.length,
          (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2, ms[0], ms[ms.length - 1]);
      assertThat(ms).hasSize(measured);
    }
    System.out.printf("BENCH custody $verify-audit-chain over %s events: %.0f ms%n",
        chain.getParameterValue("entries").primitiveValue(), verifyMs);
    assertThat(chain.getParameterValue("intact").primitiveValue()).isEqualTo("true");
  }

  private static void record(Map<String, List<Double>> times, String op, long t0, boolean count) {
    if (count) {
      times.get(op).add((System.nanoTime() - t0) / 1e6);
    }
  }
}
