package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Communication labelled restricted (as the administrator's message carrying a new trace key is)
 * stays hidden from a physician, who may otherwise read and write Communications, whatever FHIR
 * interaction is tried: it is never returned, never counted, never changed, and nothing answers 500.
 */
class RestrictedResourceIT extends ServerTestBase {

  private static final String SECRET = "New trace key (version 2): KEY-" + UUID.randomUUID();
  private static final String CATEGORY = "restricted-it-" + UUID.randomUUID();
  private static final String JSON = "application/fhir+json";
  private static final String JSON_PATCH = "application/json-patch+json";

  private static String restrictedId;
  private static String publicId;
  private static String patientId;

  private Http http;

  @BeforeEach
  void storeOneRestrictedAndOnePublicMessage() {
    http = new Http(baseUrl());
    if (restrictedId != null) {
      return;
    }
    String admin = tokens().forRole("admin");
    patientId = idOf(http.send("POST", "/fhir/Patient", admin, JSON,
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Restricted\"}]}"));
    restrictedId = idOf(http.send("POST", "/fhir/Communication", admin, JSON, communication(true, SECRET, null)));
    // the public message is part of the restricted one, so an _include from it reaches it
    publicId = idOf(http.send("POST", "/fhir/Communication", admin, JSON,
        communication(false, "nothing secret", "Communication/" + restrictedId)));
  }

  private static String communication(boolean restricted, String text, String partOf) {
    return "{\"resourceType\":\"Communication\","
        + (restricted ? "\"meta\":{\"security\":[{\"system\":\"" + "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
            + "\",\"code\":\"R\"}]}," : "")
        + (partOf == null ? "" : "\"partOf\":[{\"reference\":\"" + partOf + "\"}],")
        + "\"status\":\"completed\",\"category\":[{\"coding\":[{\"system\":\"urn:test\",\"code\":\"" + CATEGORY + "\"}]}],"
        + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
        + "\"payload\":[{\"contentString\":\"" + text + "\"}]}";
  }

  private static String idOf(HttpResponse<String> created) {
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    return location.replaceAll(".*/fhir/[A-Za-z]+/([^/]+)/_history/.*", "$1");
  }

  /**
   * Each way a physician could reach the restricted message: method, path, body, expected status,
   * and the bundle total expected where the answer is a bundle whose total matters.
   */
  static Stream<Arguments> interactions() {
    String patchTest = "[{\"op\":\"test\",\"path\":\"/status\",\"value\":\"completed\"}]";
    String patchReplace = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"entered-in-error\"}]";
    return Stream.of(
        Arguments.of("read", "GET", "/fhir/Communication/{id}", null, null, 404, null),
        Arguments.of("vread", "GET", "/fhir/Communication/{id}/_history/1", null, null, 404, null),
        Arguments.of("instance history", "GET", "/fhir/Communication/{id}/_history", null, null, 200, 0),
        Arguments.of("type history", "GET", "/fhir/Communication/_history?_count=200", null, null, 200, null),
        Arguments.of("search by _id", "GET", "/fhir/Communication?_id={id}", null, null, 200, 0),
        Arguments.of("count by _id", "GET", "/fhir/Communication?_id={id}&_summary=count", null, null, 200, 0),
        Arguments.of("search by POST", "POST", "/fhir/Communication/_search", "application/x-www-form-urlencoded",
            "_id={id}", 200, 0),
        Arguments.of("include", "GET", "/fhir/Communication?_id={public}&_include=Communication:part-of", null, null,
            200, 1),
        Arguments.of("reverse include", "GET", "/fhir/Patient?_id={patient}&_revinclude=Communication:subject", null,
            null, 200, 1),
        Arguments.of("reverse chain", "GET", "/fhir/Patient?_id={patient}&_has:Communication:subject:status=completed"
            + "&_summary=count", null, null, 403, null),
        Arguments.of("chain", "GET", "/fhir/Communication?_id={public}&part-of:Communication.status=completed", null,
            null, 403, null),
        Arguments.of("patch with a no-op test", "PATCH", "/fhir/Communication/{id}", JSON_PATCH, patchTest, 404, null),
        Arguments.of("patch", "PATCH", "/fhir/Communication/{id}", JSON_PATCH, patchReplace, 404, null),
        Arguments.of("update", "PUT", "/fhir/Communication/{id}", JSON, "{\"resourceType\":\"Communication\","
            + "\"id\":\"{id}\",\"status\":\"entered-in-error\"}", 404, null),
        Arguments.of("delete", "DELETE", "/fhir/Communication/{id}", null, null, 403, null),
        Arguments.of("conditional patch", "PATCH", "/fhir/Communication?_id={id}", JSON_PATCH, patchReplace, 404, null),
        Arguments.of("conditional delete", "DELETE", "/fhir/Communication?_id={id}", null, null, 403, null),
        // searches inside a transaction are refused to every non-admin (FhirAccessInterceptor)
        Arguments.of("transaction search", "POST", "/fhir", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
            + "\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Communication?_id={id}\"}}]}", 403, null),
        Arguments.of("transaction read", "POST", "/fhir", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
            + "\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Communication/{id}\"}}]}", 200, null),
        Arguments.of("transaction patch", "POST", "/fhir", JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
            + "\"entry\":[{\"resource\":{\"resourceType\":\"Binary\",\"contentType\":\"application/json-patch+json\","
            + "\"data\":\"" + java.util.Base64.getEncoder().encodeToString(patchTest.getBytes()) + "\"},"
            + "\"request\":{\"method\":\"PATCH\",\"url\":\"Communication/{id}\"}}]}", 404, null),
        Arguments.of("operation $meta", "GET", "/fhir/Communication/{id}/$meta", null, null, 403, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("interactions")
  void aPhysicianNeverSeesNorChangesTheRestrictedMessage(String name, String method, String path, String contentType,
      String body, int expectedStatus, Integer expectedTotal) {
    HttpResponse<String> response = http.send(method, fill(path), tokens().forRole("physician"), contentType,
        body == null ? null : fill(body));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    assertThat(response.body()).doesNotContain(SECRET).doesNotContain("\"id\": \"" + restrictedId + "\"");
    if (expectedTotal != null) {
      Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
      assertThat(bundle.getTotal()).as("hidden messages are not counted").isEqualTo(expectedTotal);
    }
    assertUnchanged();
  }

  @Test
  void aPhysicianCountsOnlyTheMessagesTheyMaySee() {
    String query = "/fhir/Communication?category=urn:test%7C" + CATEGORY + "&_summary=count";
    assertThat(total(http.get(query, tokens().forRole("physician")))).isEqualTo(1);
    assertThat(total(http.get(query, tokens().forRole("admin")))).isEqualTo(2);
    assertThat(total(http.get("/fhir/Communication?_id=" + publicId, tokens().forRole("physician")))).isEqualTo(1);
  }

  @Test
  void typeHistoryListsThePublicMessageButNotTheRestrictedOne() {
    HttpResponse<String> history = http.get("/fhir/Communication/_history?_count=200", tokens().forRole("physician"));
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    assertThat(history.body()).contains("Communication/" + publicId).doesNotContain(SECRET);
  }

  @Test
  void aConditionalUpdateMatchingOnlyTheRestrictedMessageLeavesItAlone() {
    HttpResponse<String> response = http.send("PUT", "/fhir/Communication?_id=" + restrictedId,
        tokens().forRole("physician"), JSON, "{\"resourceType\":\"Communication\",\"status\":\"entered-in-error\"}");
    assertThat(response.statusCode()).as(response.body()).isIn(201, 400, 404, 412);
    assertThat(response.body()).doesNotContain(SECRET);
    assertUnchanged();
  }

  @Test
  void aPhysicianCannotLabelAMessageRestrictedToHideIt() {
    HttpResponse<String> created = http.send("POST", "/fhir/Communication", tokens().forRole("physician"), JSON,
        communication(true, "hidden by a physician", null));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(403);
    HttpResponse<String> relabelled = http.send("PUT", "/fhir/Communication/" + publicId, tokens().forRole("physician"),
        JSON, communication(true, "nothing secret", null).replace("{\"resourceType\":\"Communication\",",
            "{\"resourceType\":\"Communication\",\"id\":\"" + publicId + "\","));
    assertThat(relabelled.statusCode()).as(relabelled.body()).isEqualTo(403);
  }

  @Test
  void theAdministratorStillReadsAndSearchesIt() {
    String admin = tokens().forRole("admin");
    assertThat(http.get("/fhir/Communication/" + restrictedId, admin).body()).contains(SECRET);
    assertThat(http.get("/fhir/Communication?_id=" + restrictedId, admin).body()).contains(SECRET);
    assertThat(http.get("/fhir/Communication/_history", admin).body()).contains(SECRET);
  }

  private void assertUnchanged() {
    Communication stored = FHIR.newJsonParser().parseResource(Communication.class,
        http.get("/fhir/Communication/" + restrictedId, tokens().forRole("admin")).body());
    assertThat(stored.getIdElement().getVersionIdPart()).isEqualTo("1");
    assertThat(stored.getStatus()).isEqualTo(Communication.CommunicationStatus.COMPLETED);
    assertThat(stored.getPayloadFirstRep().getContentStringType().getValue()).isEqualTo(SECRET);
  }

  private static int total(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getTotal();
  }

  private static String fill(String template) {
    return template.replace("{id}", restrictedId).replace("{public}", publicId).replace("{patient}", patientId);
  }
}
