package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A search may only filter on data the caller may read: a chain, a reverse chain ({@code _has}) or
 * a chained sort that reaches Patient is refused to the roles without Patient access, while the same
 * search works for a role that reads Patient and typed chains into readable types keep working.
 */
class SearchReachIT extends ServerTestBase {

  private static final String FAMILY = "Zh" + UUID.randomUUID().toString().substring(0, 8);
  private static final String LOT = "LOT-" + UUID.randomUUID().toString().substring(0, 8);
  private static String observation;

  private Http http;

  @BeforeEach
  void storeAPatientWithAnObservationAndAnOrganization() {
    http = new Http(baseUrl());
    if (observation != null) {
      return;
    }
    String admin = tokens().forRole("admin");
    String org = created(http.send("POST", "/fhir/Organization", admin, "application/fhir+json",
        "{\"resourceType\":\"Organization\",\"name\":\"Reach Hospital " + FAMILY + "\"}"));
    String patient = created(http.send("POST", "/fhir/Patient", admin, "application/fhir+json",
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + FAMILY + "\"}],\"birthDate\":\"1950-03-04\","
            + "\"managingOrganization\":{\"reference\":\"" + org + "\"}}"));
    String device = created(http.send("POST", "/fhir/Device", admin, "application/fhir+json",
        "{\"resourceType\":\"Device\",\"lotNumber\":\"" + LOT + "\",\"identifier\":[{\"value\":\"" + LOT + "\"}]}"));
    observation = created(http.send("POST", "/fhir/Observation", admin, "application/fhir+json",
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"" + FAMILY + "\"},"
            + "\"subject\":{\"reference\":\"" + patient + "\"},\"device\":{\"reference\":\"" + device + "\"}}"));
  }

  private static String created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response.headers().firstValue("Location").orElseThrow().replaceAll(".*/fhir/([A-Za-z]+/[^/]+)/_history/.*", "$1");
  }

  @ParameterizedTest(name = "{0} GET {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
      "manufacturer; /fhir/Observation?subject:Patient.family={family}&_summary=count; 403",
      "manufacturer; /fhir/Observation?subject.family={family}&_summary=count;         403",
      "manufacturer; /fhir/Observation?_id={obs}&_sort=subject.family;         403",
      "logistics;    /fhir/Organization?_has:Patient:organization:birthdate=1950-03-04&_summary=count; 403",
      "logistics;    /fhir/Organization?_has:Patient:organization:family={family}&_summary=count;       403",
      "manufacturer; /fhir/Device?_has:Observation:device:subject:Patient.family={family}&_summary=count; 403",
      "physician;    /fhir/Observation?subject:Patient.family={family}&_summary=count; 200",
      "ehr-system;   /fhir/Organization?_has:Patient:organization:family={family}&_summary=count; 200",
      "manufacturer; /fhir/Observation?device:Device.identifier={lot}&_summary=count; 200",
      "manufacturer; /fhir/Observation?_id={obs}&_summary=count; 200",
  })
  void searchesReachOnlyTypesTheRoleMayRead(String role, String query, int expected) {
    HttpResponse<String> response = http.get(query.replace("{family}", FAMILY).replace("{lot}", LOT)
        .replace("{obs}", observation.substring(observation.indexOf('/') + 1)),
        tokens().forRole(role));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    if (expected == 200) {
      assertThat(FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getTotal())
          .as("the allowed search finds the one match").isEqualTo(1);
    } else {
      assertThat(response.body()).contains("OperationOutcome").doesNotContain("\"total\"");
    }
  }

  @ParameterizedTest(name = "{0} POST _search {1}")
  @CsvSource(delimiter = ';', value = {
      "manufacturer; subject:Patient.family={family}&_summary=count; 403",
      "physician;    subject:Patient.family={family}&_summary=count; 200",
  })
  void searchesByPostAreCheckedAlike(String role, String form, int expected) {
    HttpResponse<String> response = http.send("POST", "/fhir/Observation/_search", tokens().forRole(role),
        "application/x-www-form-urlencoded", form.replace("{family}", FAMILY));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aConditionalCreateCannotAskAboutPatientsEither() {
    HttpResponse<String> response = http.send("POST", "/fhir/Observation", tokens().forRole("manufacturer"), "application/fhir+json",
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"probe\"}}");
    assertThat(response.statusCode()).as("control: a plain create").isEqualTo(201);
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(baseUrl() + "/fhir/Observation"))
        .header("Authorization", "Bearer " + tokens().forRole("manufacturer"))
        .header("Content-Type", "application/fhir+json")
        .header("If-None-Exist", "subject:Patient.family=" + FAMILY)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"probe\"}}"))
        .build();
    HttpResponse<String> conditional;
    try {
      conditional = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(conditional.statusCode()).as(conditional.body()).isEqualTo(403);
    assertThat(conditional.body()).as("refused for what the match URL reads").contains("reads Patient");
  }
}
