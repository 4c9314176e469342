package io.seedtrace.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedtrace.server.support.BulkExportClient;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Time of a Bulk Data export over HTTP on the default H2 database: 5,000 Observations (stored in
 * transactions of 500), exported by type and since (kick-off to manifest, then the download), and an
 * administrator's export of every type. Run: see README "Benchmarks".
 */
class BulkExportBench extends ServerTestBase {

  private static final int RESOURCES = 5000;
  private static final int PER_TRANSACTION = 500;

  @Test
  void fiveThousandObservations() {
    String admin = tokens().forRole("admin");
    Http http = new Http(baseUrl());
    Instant before = Instant.now();
    for (int stored = 0; stored < RESOURCES; stored += PER_TRANSACTION) {
      StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
      for (int i = 0; i < PER_TRANSACTION; i++) {
        bundle.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\","
            + "\"code\":{\"text\":\"bench\"},\"valueQuantity\":{\"value\":").append(stored + i)
            .append("}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
      }
      assertThat(http.send("POST", "/fhir", admin, "application/fhir+json", bundle.append("]}").toString())
          .statusCode()).isEqualTo(200);
    }
    BulkExportClient bulk = new BulkExportClient(baseUrl());
    String since = URLEncoder.encode(before.toString(), StandardCharsets.UTF_8);
    measure(bulk, "/fhir/$export?_type=Observation&_since=" + since, admin, RESOURCES);
    measure(bulk, "/fhir/$export", admin, -1);
  }

  private static void measure(BulkExportClient bulk, String path, String token, int expected) {
    long t0 = System.nanoTime();
    JsonNode manifest = bulk.awaitManifest(bulk.start(path, token), token);
    double exportMs = (System.nanoTime() - t0) / 1e6;
    long t1 = System.nanoTime();
    Map<String, List<String>> lines = bulk.download(manifest, token);
    double downloadMs = (System.nanoTime() - t1) / 1e6;
    long count = lines.values().stream().mapToLong(List::size).sum();
    if (expected >= 0) {
      assertThat(count).isEqualTo(expected);
    }
    System.out.printf("BENCH bulk export %s: %d resources of %d types, kick-off to manifest %.0f ms, download %.0f ms%n",
        path.replaceAll("_since=[^&]*", "_since=..."), count, lines.size(), exportMs, downloadMs);
  }
}
