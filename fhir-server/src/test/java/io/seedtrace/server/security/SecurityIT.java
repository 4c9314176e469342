package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Value;

/**
 * Security as a client meets it over real HTTP with real tokens from the embedded issuer: who gets
 * in, who is refused, and that forged or stale tokens never work.
 */
class SecurityIT extends ServerTestBase {

  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Value("${seedtrace.security.embedded-issuer.issuer}")
  String issuer;

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Content-Type", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metadataAndHealthAreOpenEverythingElseNeedsAToken() throws Exception {
    assertThat(get("/fhir/metadata", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/fhir/Patient", null).statusCode()).isEqualTo(401);
    assertThat(get("/fhir/Device/1", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    assertThat(post("/fhir/Patient", null, "{\"resourceType\":\"Patient\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void tokenSearchWithAnUnencodedBarIsAccepted() throws Exception {
    // java.net.URI refuses a raw '|', so send the request line as many FHIR clients do.
    String token = tokens().forRole("nurse");
    try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
      socket.getOutputStream().write(("GET /fhir/Device?identifier=urn:seedtrace:test|CART-1 HTTP/1.1\r\n"
          + "Host: localhost\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200").contains("\"resourceType\": \"Bundle\"");
    }
  }

  @Test
  void unauthenticatedRefusalCarriesTheBearerChallenge() throws Exception {
    HttpResponse<String> response = get("/fhir/Patient", null);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void wrongClientSecretGetsNoToken() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=nurse-cli&client_secret=guess"))
        .build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void expiredTokenSignedByTheServerIsRefused() throws Exception {
    RSAKey serverKey = Tokens.serverKey(DATA_DIR);
    String valid = Tokens.sign(serverKey, issuer, List.of("admin"), Instant.now().plusSeconds(300));
    String expired = Tokens.sign(serverKey, issuer, List.of("admin"), Instant.now().minusSeconds(600));
    assertThat(get("/fhir/Patient", valid).statusCode()).as("control: same key, not expired").isEqualTo(200);
    HttpResponse<String> response = get("/fhir/Patient", expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
  }

  @Test
  void tokenSignedByAnotherKeyOrForAnotherIssuerIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(Tokens.serverKey(DATA_DIR).getKeyID()).generate();
    String forged = Tokens.sign(stranger, issuer, List.of("admin"), Instant.now().plusSeconds(300));
    assertThat(get("/fhir/Patient", forged).statusCode()).isEqualTo(401);

    String otherIssuer = Tokens.sign(Tokens.serverKey(DATA_DIR), "https://evil.example", List.of("admin"),
        Instant.now().plusSeconds(300));
    assertThat(get("/fhir/Patient", otherIssuer).statusCode()).isEqualTo(401);
  }

  @Test
  void tokenWithoutAnySeedTraceRoleReadsNothing() throws Exception {
    String noRole = Tokens.sign(Tokens.serverKey(DATA_DIR), issuer, List.of("openid"), Instant.now().plusSeconds(300));
    assertThat(get("/fhir/Patient", noRole).statusCode()).isEqualTo(403);
    assertThat(get("/fhir/metadata", noRole).statusCode()).isEqualTo(200);
  }

  /** The role matrix of docs/security.md, one row per case: role, method, path, expected status. */
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
      "nurse,        GET,  /fhir/Device,                200",
      "nurse,        POST, /fhir/Device,                201",
      "nurse,        POST, /fhir/Procedure,             403",
      "nurse,        GET,  /fhir/AuditEvent,            403",
      "logistics,    GET,  /fhir/Patient,               403",
      "logistics,    GET,  /fhir/SupplyDelivery,        200",
      "logistics,    POST, /fhir/SupplyDelivery,        201",
      "manufacturer, POST, /fhir/DeviceDefinition,      201",
      "manufacturer, GET,  /fhir/Patient,               403",
      "physician,    POST, /fhir/Procedure,             201",
      "physician,    POST, /fhir/DiagnosticReport,      403",
      "physicist,    POST, /fhir/DiagnosticReport,      201",
      "physicist,    POST, /fhir/Patient,               403",
      "ehr-system,   POST, /fhir/Patient,               201",
      "ehr-system,   POST, /fhir/Observation,           403",
      "ehr-system,   GET,  /fhir/DiagnosticReport,      200",
      "auditor,      GET,  /fhir/AuditEvent,            200",
      "auditor,      POST, /fhir/Patient,               403",
      "admin,        POST, /fhir/StructureDefinition,   201",
      "nurse,        POST, /fhir/StructureDefinition,   403",
      "nurse,        GET,  /fhir/StructureDefinition,   200",
      "nurse,        GET,  /actuator/prometheus,        403",
      "admin,        GET,  /actuator/prometheus,        200",
  })
  void enforcesTheRoleMatrix(String role, String method, String path, int expected) throws Exception {
    String token = tokens().forRole(role);
    HttpResponse<String> response = method.equals("GET")
        ? get(path, token)
        : post(path, token, minimalBody(path.substring(path.lastIndexOf('/') + 1)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
  }

  private static String minimalBody(String type) {
    return switch (type) {
      case "Device" -> "{\"resourceType\":\"Device\",\"lotNumber\":\"LOT-1\"}";
      case "Procedure" -> "{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"subject\":{\"display\":\"x\"}}";
      case "SupplyDelivery" -> "{\"resourceType\":\"SupplyDelivery\",\"status\":\"in-progress\"}";
      case "DeviceDefinition" -> "{\"resourceType\":\"DeviceDefinition\",\"modelNumber\":\"6711\"}";
      case "DiagnosticReport" -> "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"text\":\"seed check\"}}";
      case "Patient" -> "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Wang\"}]}";
      case "Observation" -> "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}";
      case "StructureDefinition" -> "{\"resourceType\":\"StructureDefinition\",\"url\":\"urn:test:logical\","
          + "\"name\":\"TestLogical\",\"status\":\"draft\",\"kind\":\"logical\",\"abstract\":false,\"type\":\"urn:test:logical\"}";
      default -> throw new IllegalArgumentException(type);
    };
  }

  @Test
  void consoleIsForAdminsOnlyAndSendsBrowsersToTheLoginPage() throws Exception {
    HttpResponse<String> browser = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/hawtio/"))
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.headers().firstValue("Location").orElse("")).endsWith("/login");

    assertThat(get("/actuator/hawtio/", tokens().forRole("nurse")).statusCode()).isEqualTo(403);
    assertThat(get("/actuator/hawtio/", tokens().forRole("admin")).statusCode()).isEqualTo(200);
  }

  @Test
  void consoleShowsCamelRoutesWithTheirCountersToAdmins() throws Exception {
    String read = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=seedtrace,type=routes,"
        + "name=\\\"heartbeat\\\"\",\"attribute\":\"ExchangesCompleted\"}";
    HttpResponse<String> routes = post("/actuator/jolokia/", tokens().forRole("admin"), read);
    assertThat(routes.statusCode()).isEqualTo(200);
    assertThat(routes.body()).contains("\"status\":200").containsPattern("\"value\":[1-9]");
    assertThat(post("/actuator/jolokia/", tokens().forRole("auditor"), "{\"type\":\"list\"}").statusCode())
        .isEqualTo(403);
  }
}
