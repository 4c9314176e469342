package io.seedtrace.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator sees: health with its parts, Prometheus metrics, JSON log lines. */
class OpsIT extends ServerTestBase {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthShowsDatabaseCamelProfilesAndDicomToAdmins() throws Exception {
    HttpResponse<String> health = get("/actuator/health", tokens().forRole("admin"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"")
        .contains("\"db\"").contains("\"integrationHub\"").contains("\"profiles\"").contains("\"dicom\"")
        .contains("io.seedtrace.fhir").contains("\"ehrOutbox\"").contains("\"dead\"");
  }

  @Test
  void prometheusExposesJvmHttpAndCamelMetrics() throws Exception {
    HttpResponse<String> metrics = get("/actuator/prometheus", tokens().forRole("admin"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections")
        .contains("seedtrace_ehr_outbox{").contains("status=\"dead\"");
  }

  @Test
  void logFileHoldsStructuredJsonLines() throws Exception {
    List<String> lines = Files.readAllLines(DATA_DIR.resolve("logs/seedtrace.log"));
    assertThat(lines).isNotEmpty();
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}").contains("\"@timestamp\""));
  }
}
