package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A detection that overruns its budget (here 1 ms, so every detection does) is stopped and
 * reported as "detection did not complete": a SeedAlert in SeedTrace and at the EHR, never a
 * silent gap or a report claiming the seeds are accounted for; the study after it is handled
 * normally.
 */
class DetectionBudgetIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  @DynamicPropertySource
  static void budget(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.verification.detection-budget", () -> "1ms");
    ownDatabaseAndSpool(registry, "seedtrace-budget-it");
  }

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void aDetectionPastItsBudgetIsReportedAndTheNextStudyIsHandled() throws Exception {
    Phantom p = VerificationIT.phantom(18, 21);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    CtSeries stopped = new CtSeries(implant.dicomPatientId(), implant.accession(), VerificationIT.TODAY);
    CtSeries.send(dicom.port(), stopped.files(p.scan()));
    await().atMost(Duration.ofSeconds(90)).until(() -> alert(stopped, "detection-incomplete").isPresent());

    DetectedIssue alert = alert(stopped, "detection-incomplete").orElseThrow();
    assertThat(alert.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
    assertThat(alert.getDetail()).contains("did not complete within 1 ms").contains("NOT verified");
    assertThat(alert.getPatient().getReference()).isEqualTo(implant.patientId());
    assertThat(alert.getImplicated()).extracting(r -> r.getReference()).contains(implant.procedureId());
    // the EHR learns that this implant is not verified, and gets no report saying otherwise
    await().atMost(Duration.ofSeconds(60)).until(() -> EHR.created(DetectedIssue.class).stream()
        .anyMatch(i -> i.getIdentifierFirstRep().getValue().startsWith("VER-" + stopped.seriesUid + "-")));
    assertThat(EHR.created(org.hl7.fhir.r4.model.DiagnosticReport.class)).noneMatch(r -> r.getIdentifierFirstRep()
        .getValue().startsWith("VER-" + stopped.seriesUid + "-"));

    // the next study is not held up
    CtSeries next = new CtSeries("NOBODY-" + System.nanoTime(), "ACC-NONE-" + System.nanoTime(), VerificationIT.TODAY);
    CtSeries.send(dicom.port(), next.files(VerificationIT.phantom(6, 22).scan()));
    await().atMost(Duration.ofSeconds(60)).until(() -> alert(next, "unmatched-study").isPresent());
  }

  Optional<DetectedIssue> alert(CtSeries series, String kind) {
    List<DetectedIssue> found = as("admin").search().forResource(DetectedIssue.class)
        .where(DetectedIssue.CODE.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace", kind))
        .count(200).returnBundle(Bundle.class).execute().getEntry().stream()
        .map(e -> (DetectedIssue) e.getResource()).toList();
    return found.stream().filter(i -> i.getIdentifierFirstRep().getValue().startsWith("VER-" + series.seriesUid + "-"))
        .findFirst();
  }
}
