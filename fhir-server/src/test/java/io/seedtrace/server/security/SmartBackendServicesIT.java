package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.SmartBackendClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * An EHR as a SMART Backend Services client, over real HTTP with real keys: it discovers the token
 * endpoint from {@code /.well-known/smart-configuration} (no token), signs a client assertion with
 * its own key whose public half the server fetches from the client's JWK Set URL (a server in the
 * test), gets a token for SMART system scopes and uses it. Scopes narrow the client's role
 * ({@code ehr-system}); replayed, foreign-signed, mis-addressed and long-lived assertions are refused.
 */
class SmartBackendServicesIT extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String tokenEndpoint() throws Exception {
    HttpResponse<String> discovery = new Http(baseUrl()).get("/fhir/.well-known/smart-configuration", null);
    assertThat(discovery.statusCode()).isEqualTo(200);
    return JSON.readTree(discovery.body()).get("token_endpoint").asText();
  }

  private static String rs384(String tokenEndpoint, JWTClaimsSet claims) {
    return SmartBackendClient.sign(SMART_EHR.rsa, JWSAlgorithm.RS384, claims);
  }

  private static String accessToken(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asText();
  }

  @Test
  void discoveryIsOpenAndNamesTheTokenEndpointAndWhatItAccepts() throws Exception {
    for (String path : new String[] {"/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"}) {
      HttpResponse<String> response = new Http(baseUrl()).get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      JsonNode config = JSON.readTree(response.body());
      assertThat(config.get("token_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/token");
      assertThat(config.get("grant_types_supported").toString()).contains("client_credentials");
      assertThat(config.get("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
      assertThat(config.get("token_endpoint_auth_signing_alg_values_supported").toString()).contains("RS384", "ES384");
      assertThat(config.get("scopes_supported").toString()).contains("system/*.rs", "system/*.read");
      assertThat(config.get("capabilities").toString())
          .contains("client-confidential-asymmetric", "permission-v1", "permission-v2");
    }
    JsonNode metadata = JSON.readTree(new Http(baseUrl()).get("/fhir/metadata", null).body());
    JsonNode security = metadata.get("rest").get(0).get("security");
    assertThat(security.get("service").get(0).get("coding").get(0).get("code").asText()).isEqualTo("SMART-on-FHIR");
    JsonNode oauthUris = security.get("extension").get(0);
    assertThat(oauthUris.get("url").asText())
        .isEqualTo("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
    assertThat(oauthUris.get("extension").get(0).get("url").asText()).isEqualTo("token");
    assertThat(oauthUris.get("extension").get(0).get("valueUri").asText()).isEqualTo(baseUrl() + "/oauth2/token");
  }

  @Test
  void anRs384ClientWithAV2ScopeReadsDiagnosticReportsAndNothingElse() throws Exception {
    String admin = tokens().forRole("admin");
    Http http = new Http(baseUrl());
    String report = "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"text\":\"smart-it\"}}";
    HttpResponse<String> created = http.send("POST", "/fhir/DiagnosticReport", admin, "application/fhir+json", report);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asText();

    String endpoint = tokenEndpoint();
    HttpResponse<String> response = SmartBackendClient.requestToken(endpoint,
        rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint).build()), "system/DiagnosticReport.rs");
    String token = accessToken(response);
    assertThat(JSON.readTree(response.body()).get("scope").asText()).isEqualTo("system/DiagnosticReport.rs");
    assertThat(JSON.readTree(response.body()).get("token_type").asText()).isEqualToIgnoringCase("Bearer");
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("ehr-system");

    HttpResponse<String> search = http.get("/fhir/DiagnosticReport?_id=" + id, token);
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(search.body()).get("entry")).hasSize(1);
    // the role could read Patients and Observations, the scope cannot
    assertThat(http.get("/fhir/Patient", token).statusCode()).isEqualTo(403);
    assertThat(http.get("/fhir/Observation", token).statusCode()).isEqualTo(403);
    // .rs is no write (nor does the role allow writing reports)
    assertThat(http.send("POST", "/fhir/DiagnosticReport", token, "application/fhir+json", report).statusCode()).isEqualTo(403);
    // conformance resources stay readable
    assertThat(http.get("/fhir/StructureDefinition?_summary=count", token).statusCode()).isEqualTo(200);
  }

  @Test
  void anEs384ClientWithAV1ScopeReadsButMayNotWriteWhatItsRoleMayWrite() throws Exception {
    String endpoint = tokenEndpoint();
    String assertion = SmartBackendClient.sign(SMART_EHR.ec, JWSAlgorithm.ES384,
        SmartBackendClient.claims("smart-ehr", endpoint).build());
    String token = accessToken(SmartBackendClient.requestToken(endpoint, assertion, "system/*.read"));
    Http http = new Http(baseUrl());
    assertThat(http.get("/fhir/Patient", token).statusCode()).isEqualTo(200);
    String patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Smart\"}]}";
    assertThat(http.send("POST", "/fhir/Patient", token, "application/fhir+json", patient).statusCode())
        .as("ehr-system may create Patients, system/*.read may not").isEqualTo(403);

    String writer = accessToken(SmartBackendClient.requestToken(endpoint, SmartBackendClient.sign(SMART_EHR.ec,
        JWSAlgorithm.ES384, SmartBackendClient.claims("smart-ehr", endpoint).build()), "system/Patient.cruds"));
    assertThat(http.send("POST", "/fhir/Patient", writer, "application/fhir+json", patient).statusCode()).isEqualTo(201);
    // AuditEvent is outside the role's matrix: a scope does not add it
    String all = accessToken(SmartBackendClient.requestToken(endpoint, SmartBackendClient.sign(SMART_EHR.ec,
        JWSAlgorithm.ES384, SmartBackendClient.claims("smart-ehr", endpoint).build()), "system/*.*"));
    assertThat(http.get("/fhir/AuditEvent", all).statusCode()).isEqualTo(403);
  }

  @Test
  void anInlineJwkSetWorksAsWell() throws Exception {
    String endpoint = tokenEndpoint();
    String assertion = SmartBackendClient.sign(SMART_EHR.ec, JWSAlgorithm.ES384,
        SmartBackendClient.claims("smart-inline", endpoint).build());
    String token = accessToken(SmartBackendClient.requestToken(endpoint, assertion, "system/DiagnosticReport.read"));
    assertThat(new Http(baseUrl()).get("/fhir/DiagnosticReport", token).statusCode()).isEqualTo(200);
  }

  @Test
  void aReplayedAssertionIsRefused() throws Exception {
    String endpoint = tokenEndpoint();
    String assertion = rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint).build());
    assertThat(SmartBackendClient.requestToken(endpoint, assertion, "system/*.rs", "127.0.8.1").statusCode()).isEqualTo(200);
    HttpResponse<String> replay = SmartBackendClient.requestToken(endpoint, assertion, "system/*.rs", "127.0.8.1");
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("invalid_client");
  }

  @Test
  void assertionsSignedWithAnotherKeyOrBadlyFormedAreRefused() throws Exception {
    String endpoint = tokenEndpoint();
    // a key the client never published, under the client's own key id
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(SMART_EHR.rsa.getKeyID()).generate();
    assertThat(SmartBackendClient.requestToken(endpoint, SmartBackendClient.sign(stranger, JWSAlgorithm.RS384,
        SmartBackendClient.claims("smart-ehr", endpoint).build()), "system/*.rs", "127.0.9.1").statusCode()).isEqualTo(401);
    // RS256 is not one of SMART's algorithms
    assertThat(SmartBackendClient.requestToken(endpoint, SmartBackendClient.sign(SMART_EHR.rsa, JWSAlgorithm.RS256,
        SmartBackendClient.claims("smart-ehr", endpoint).build()), "system/*.rs", "127.0.9.2").statusCode()).isEqualTo(401);
    // addressed to another token endpoint
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint)
        .audience("https://other.example/token").build()), "system/*.rs", "127.0.9.3").statusCode()).isEqualTo(401);
    // valid for more than five minutes
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint)
        .expirationTime(Date.from(Instant.now().plusSeconds(600))).build()), "system/*.rs", "127.0.9.4").statusCode()).isEqualTo(401);
    // no jti
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint)
        .jwtID(null).build()), "system/*.rs", "127.0.9.5").statusCode()).isEqualTo(401);
    // sub is not the client
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint)
        .subject("nurse-cli").build()), "system/*.rs", "127.0.9.6").statusCode()).isEqualTo(401);
    // another client's name (a secret client has no keys)
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("admin-cli", endpoint)
        .build()), "system/*.rs", "127.0.9.7").statusCode()).isEqualTo(401);
    // control: the same, well formed
    assertThat(SmartBackendClient.requestToken(endpoint, rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint)
        .build()), "system/*.rs", "127.0.9.8").statusCode()).isEqualTo(200);
  }

  @Test
  void patientAndUserScopesAndUnknownScopesAreInvalidScope() throws Exception {
    String endpoint = tokenEndpoint();
    for (String scope : new String[] {"patient/*.rs", "user/Observation.read", "system/Observation.rs?category=x", "admin"}) {
      HttpResponse<String> response = SmartBackendClient.requestToken(endpoint,
          rs384(endpoint, SmartBackendClient.claims("smart-ehr", endpoint).build()), scope);
      assertThat(response.statusCode()).as(scope).isEqualTo(400);
      assertThat(response.body()).as(scope).contains("invalid_scope");
    }
  }

  @Test
  void secretClientsMayAskForSmartScopesToo() throws Exception {
    Http http = new Http(baseUrl());
    HttpResponse<String> response = http.send("POST", "/oauth2/token", null, "application/x-www-form-urlencoded",
        "grant_type=client_credentials&client_id=nurse-cli&client_secret=nurse-secret&scope=system/Device.rs");
    String token = accessToken(response);
    assertThat(http.get("/fhir/Device", token).statusCode()).isEqualTo(200);
    assertThat(http.get("/fhir/Patient", token).statusCode()).isEqualTo(403);
    // without any SMART scope the role's rights are unchanged
    assertThat(http.get("/fhir/Patient", tokens().forRole("nurse")).statusCode()).isEqualTo(200);
  }
}
