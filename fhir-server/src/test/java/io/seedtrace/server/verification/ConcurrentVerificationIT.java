package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.routes.verification.StudyVerification;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two studies are verified at the same time: the first one's seed detection is held back (as a
 * large or difficult study would be), and the second, sent after it, reaches the EHR first. With
 * verifications run one at a time, the second would wait for the first and this test would time
 * out.
 */
class ConcurrentVerificationIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  @Autowired
  CamelContext camel;

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void aSlowStudyDoesNotHoldUpTheStudySentAfterIt() throws Exception {
    CustodyChainSteps steps = new CustodyChainSteps(this::as);
    CustodyChainSteps.Implant slowImplant = steps.implantAndSeal(20, 18, 0);
    CustodyChainSteps.Implant fastImplant = steps.implantAndSeal(20, 18, 0);
    CountDownLatch slowInDetection = new CountDownLatch(1);
    CountDownLatch slowMayGoOn = new CountDownLatch(1);
    AdviceWith.adviceWith(camel, "verification-detect", route -> route.weaveAddFirst().process(exchange -> {
      StudyVerification v = exchange.getMessage().getBody(StudyVerification.class);
      if (v != null && v.event().patientId().equals(slowImplant.dicomPatientId())) {
        slowInDetection.countDown();
        slowMayGoOn.await(180, TimeUnit.SECONDS);
      }
    }));
    try {
      CtSeries slow = new CtSeries(slowImplant.dicomPatientId(), slowImplant.accession(), VerificationIT.TODAY);
      CtSeries.send(dicom.port(), slow.files(VerificationIT.phantom(18, 11).scan()));
      assertThat(slowInDetection.await(120, TimeUnit.SECONDS)).as("the first study reached its detection").isTrue();

      CtSeries fast = new CtSeries(fastImplant.dicomPatientId(), fastImplant.accession(), VerificationIT.TODAY);
      CtSeries.send(dicom.port(), fast.files(VerificationIT.phantom(18, 11).scan()));
      await().atMost(Duration.ofSeconds(120)).until(() -> reportAtEhr(fast.seriesUid).isPresent());
      assertThat(reportAtEhr(slow.seriesUid)).as("the first study is still being verified").isEmpty();
      assertThat(reportAtEhr(fast.seriesUid).orElseThrow().getConclusion()).contains("All 20 seeds accounted for");

      slowMayGoOn.countDown();
      await().atMost(Duration.ofSeconds(120)).until(() -> reportAtEhr(slow.seriesUid).isPresent());
      assertThat(reportAtEhr(slow.seriesUid).orElseThrow().getConclusion()).contains("All 20 seeds accounted for");
    } finally {
      slowMayGoOn.countDown();
    }
  }

  static Optional<DiagnosticReport> reportAtEhr(String seriesUid) {
    return EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + seriesUid + "-")).findFirst();
  }
}
