package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A browser-based FHIR client served from a configured origin ({@link ServerTestBase} allows
 * {@value #APP}) may call the FHIR API and the SMART discovery; a page of any other origin gets no
 * CORS headers, and nor does the configured origin outside {@code /fhir} and {@code /.well-known}.
 */
class CorsIT extends ServerTestBase {

  static final String APP = "https://ehr-app.example.org";
  private static final String FOREIGN = "https://evil.example.com";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private HttpResponse<String> call(String method, String path, String origin, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Origin", origin);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> preflight(String path, String origin) throws IOException, InterruptedException {
    return call("OPTIONS", path, origin, "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization,content-type");
  }

  private static String allowedOrigin(HttpResponse<String> response) {
    return response.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
  }

  @Test
  void theConfiguredOriginMayCallTheFhirApiWithABearerToken() throws Exception {
    HttpResponse<String> preflight = preflight("/fhir/DetectedIssue", APP);
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(allowedOrigin(preflight)).isEqualTo(APP);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("authorization").contains("content-type");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).as("no cookies").isEmpty();

    HttpResponse<String> search = call("GET", "/fhir/DetectedIssue", APP,
        "Authorization", "Bearer " + tokens().forRole("ehr-system"));
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(allowedOrigin(search)).isEqualTo(APP);
  }

  @Test
  void theConfiguredOriginFindsTheSmartConfigurationAndTheCapabilityStatementSaysCors() throws Exception {
    HttpResponse<String> discovery = call("GET", "/.well-known/smart-configuration", APP);
    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(allowedOrigin(discovery)).isEqualTo(APP);
    HttpResponse<String> metadata = call("GET", "/fhir/metadata", APP, "Accept", "application/fhir+json");
    assertThat(allowedOrigin(metadata)).isEqualTo(APP);
    assertThat(new ObjectMapper().readTree(metadata.body()).path("rest").path(0).path("security").path("cors")
        .asBoolean()).as("rest.security.cors").isTrue();
  }

  @Test
  void aForeignOriginGetsNoCorsHeaders() throws Exception {
    assertThat(allowedOrigin(preflight("/fhir/DetectedIssue", FOREIGN))).isNull();
    assertThat(allowedOrigin(call("GET", "/.well-known/smart-configuration", FOREIGN))).isNull();
    assertThat(allowedOrigin(call("GET", "/fhir/metadata", FOREIGN))).isNull();
  }

  @Test
  void theConfiguredOriginGetsNoCorsHeadersOutsideTheApi() throws Exception {
    assertThat(allowedOrigin(call("GET", "/actuator/health", APP))).isNull();
    assertThat(allowedOrigin(preflight("/actuator/hawtio/jolokia/", APP))).isNull();
  }
}
