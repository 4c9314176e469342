package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An EHR or a clinician asks for one patient's alarms and results the way FHIR clients do, by
 * compartment ({@code Patient/<id>/DetectedIssue}), and an EHR sees where a result came from
 * ({@code _revinclude=Provenance:target}). Roles that may not read the type are refused.
 */
class PatientCompartmentIT extends ServerTestBase {

  private static String patient;
  private static String otherPatient;
  private static String issue;
  private static String otherIssue;
  private static String custodyProvenance;

  private Http http;

  @BeforeEach
  void storeTwoPatientsWithAnAlarmEach() {
    http = new Http(baseUrl());
    if (patient != null) {
      return;
    }
    String admin = tokens().forRole("admin");
    patient = created(post("Patient", admin, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Compartment\"}]}"));
    otherPatient = created(post("Patient", admin, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Other\"}]}"));
    issue = created(post("DetectedIssue", admin, detectedIssue(patient)));
    otherIssue = created(post("DetectedIssue", admin, detectedIssue(otherPatient)));
    created(post("Flag", admin, "{\"resourceType\":\"Flag\",\"status\":\"active\",\"code\":{\"text\":\"seed missing\"},"
        + "\"subject\":{\"reference\":\"" + patient + "\"}}"));
    created(post("Provenance", admin, provenance(issue, "verify", "SeedTrace verification")));
    custodyProvenance = created(post("Provenance", admin, provenance(issue, "seal", "nurse Example")));
  }

  @ParameterizedTest(name = "{0} GET Patient/<id>/{1} -> {2}, {3} found")
  @CsvSource({
      "ehr-system,   DetectedIssue, 200, 1",
      "physician,    DetectedIssue, 200, 1",
      "nurse,        Flag,          200, 1",
      "physicist,    Procedure,     200, 0",
      "manufacturer, DetectedIssue, 200, 1",
      "manufacturer, Procedure,     403, 0",
      "logistics,    Flag,          403, 0",
  })
  void aRoleReadsOnePatientsResourcesByCompartment(String role, String type, int status, int found) {
    HttpResponse<String> response = http.get("/fhir/" + patient + "/" + type, tokens().forRole(role));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    if (status == 200) {
      Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
      assertThat(bundle.getEntry()).as("only this patient's " + type).hasSize(found)
          .allSatisfy(e -> assertThat(e.getResource().fhirType()).isEqualTo(type));
    } else {
      assertThat(response.body()).contains("OperationOutcome").doesNotContain(issue);
    }
  }

  @ParameterizedTest(name = "the alarm of {0} patient is found {1} times")
  @CsvSource({"this, 1", "another, 0"})
  void aCompartmentSearchKeepsItsOtherParametersAndOnlyThisPatient(String whose, int total) {
    String wanted = whose.equals("this") ? issue : otherIssue;
    HttpResponse<String> response = http.get("/fhir/" + patient + "/DetectedIssue?_id="
        + wanted.substring(wanted.indexOf('/') + 1) + "&_summary=count", tokens().forRole("ehr-system"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getTotal()).isEqualTo(total);
  }

  @Test
  void aCompartmentOfAnUnknownTypeIsABadRequest() {
    HttpResponse<String> response = http.get("/fhir/" + patient + "/Nonsense", tokens().forRole("physician"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("OperationOutcome");
  }

  @Test
  void theEhrSeesTheProvenanceOfAnAlarmItReceived() {
    HttpResponse<String> response = http.get("/fhir/DetectedIssue?_id=" + issue.substring(issue.indexOf('/') + 1)
        + "&_revinclude=Provenance:target", tokens().forRole("ehr-system"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Resource> found = FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource).toList();
    assertThat(found).extracting(Resource::fhirType).contains("DetectedIssue", "Provenance");
    assertThat(found).filteredOn(r -> r instanceof Provenance).map(r -> (Provenance) r)
        .allSatisfy(p -> assertThat(p.getTargetFirstRep().getReference()).endsWith(issue))
        .anySatisfy(p -> assertThat(p.getAgentFirstRep().getWho().getDisplay()).isEqualTo("SeedTrace verification"));
  }

  @Test
  void theEhrDoesNotSeeWhoDidACustodyStep() {
    String ehr = tokens().forRole("ehr-system");
    assertThat(http.get("/fhir/" + custodyProvenance, ehr).statusCode()).isEqualTo(404);
    HttpResponse<String> search = http.get("/fhir/Provenance?target=" + issue, ehr);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).contains("SeedTrace verification").doesNotContain("nurse Example");
    assertThat(http.get("/fhir/" + custodyProvenance, tokens().forRole("auditor")).body()).contains("nurse Example");
  }

  private static String provenance(String target, String activity, String who) {
    return "{\"resourceType\":\"Provenance\",\"target\":[{\"reference\":\"" + target + "\"}],"
        + "\"recorded\":\"2026-11-27T10:00:00Z\",\"activity\":{\"coding\":[{\"system\":"
        + "\"https://seedtrace.io/fhir/CodeSystem/custody-step\",\"code\":\"" + activity + "\"}]},"
        + "\"agent\":[{\"who\":{\"display\":\"" + who + "\"}}]}";
  }

  private HttpResponse<String> post(String type, String token, String body) {
    return http.send("POST", "/fhir/" + type, token, "application/fhir+json", body);
  }

  private static String detectedIssue(String subject) {
    return "{\"resourceType\":\"DetectedIssue\",\"status\":\"final\",\"code\":{\"text\":\"count mismatch "
        + UUID.randomUUID() + "\"},\"patient\":{\"reference\":\"" + subject + "\"}}";
  }

  private static String created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response.headers().firstValue("Location").orElseThrow()
        .replaceAll(".*/fhir/([A-Za-z]+/[^/]+)/_history/.*", "$1");
  }
}
