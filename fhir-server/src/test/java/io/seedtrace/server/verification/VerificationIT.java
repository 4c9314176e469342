package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.PlanDocument;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The product's main job end to end: a post-operative CT arrives over DICOM, is matched to its
 * implant, its seeds are found, counted and compared with the plan, and the report (and any
 * alarm) reaches the EHR, a second FHIR server, over HTTP with a bearer token.
 */
class VerificationIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  static final String TODAY = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);

  static Phantom phantom(int seeds, long randomSeed) {
    return PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 128, 128, 50, 0.7, 1.5, seeds,
        0, 0, 0, false, false, 15, randomSeed));
  }

  /** The chain up to sealing (20 seeds shipped, 2 removed, 0 remaining) plus a plan document. */
  CustodyChainSteps.Implant implant(List<double[]> plan, String frameOfReference) throws Exception {
    CustodyChainSteps steps = new CustodyChainSteps(this::as);
    CustodyChainSteps.Implant implant = steps.implantAndSeal(20, 18, 0);
    PlanDocument.attachJson(as("physicist"), implant.patientId(), implant.procedureId(), plan, frameOfReference);
    return implant;
  }

  static List<double[]> truth(Phantom p) {
    return p.seeds().stream().map(Phantom.TruthSeed::centre).toList();
  }

  Optional<DiagnosticReport> reportAtEhr(String seriesUid) {
    return EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + seriesUid + "-")).findFirst();
  }

  DiagnosticReport awaitReport(String seriesUid) throws InterruptedException {
    await(() -> reportAtEhr(seriesUid).isPresent(), Duration.ofSeconds(90), "report of " + seriesUid + " at the EHR");
    return reportAtEhr(seriesUid).orElseThrow();
  }

  List<DetectedIssue> alertsAtEhr(DiagnosticReport report) {
    String vid = report.getIdentifierFirstRep().getValue();
    return EHR.created(DetectedIssue.class).stream()
        .filter(i -> i.getIdentifierFirstRep().getValue().startsWith(vid + "#")).toList();
  }

  @Test
  void happyPathReportsAllSeedsAccountedForAndNoAlarm() throws Exception {
    Phantom p = phantom(18, 11);
    CtSeries frame = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = implant(truth(p), frame.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY, frame.frameOfReferenceUid);
    CtSeries.send(dicom.port(), series.files(p.scan()));
    DiagnosticReport report = awaitReport(series.seriesUid);
    assertThat(report.getConclusion()).startsWith("All 20 seeds accounted for: 18 seen on CT, 0 left in the sealed"
        + " cartridge, 2 removed before implantation.").contains("Positions match the plan");
    assertThat(alertsAtEhr(report)).isEmpty();
    assertThat(report.getConclusionCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("N");
    // what the EHR holds is linked: report -> observations -> patient and procedure copies
    List<Observation> observations = EHR.created(Observation.class).stream()
        .filter(o -> o.getIdentifierFirstRep().getValue().startsWith(report.getIdentifierFirstRep().getValue()))
        .toList();
    assertThat(observations).hasSize(2);
    assertThat(observations).allSatisfy(o -> assertThat(o.getSubject().getReference()).startsWith("Patient/"));
  }

  @Test
  void aCtSentByDcmtkStorescuIsVerifiedLikeAnyOther(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(onPath("storescu"), "DCMTK storescu is not installed");
    Phantom p = phantom(18, 11);
    CtSeries frame = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = implant(truth(p), frame.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY, frame.frameOfReferenceUid);
    List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "PACS", "-aec", "SEEDTRACE", "127.0.0.1",
        Integer.toString(dicom.port())));
    int k = 0;
    for (byte[] f : series.files(p.scan())) {
      java.nio.file.Path file = dir.resolve(String.format("ct%03d.dcm", k++));
      java.nio.file.Files.write(file, f);
      cmd.add(file.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1");
    Process storescu = pb.start();
    String output = new String(storescu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(storescu.waitFor()).as(output).isZero();
    DiagnosticReport report = awaitReport(series.seriesUid);
    assertThat(report.getConclusion()).startsWith("All 20 seeds accounted for");
    assertThat(alertsAtEhr(report)).isEmpty();
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aMissingSeedRaisesACountAlarmWithAllFourNumbersAndAFlag() throws Exception {
    Phantom p = phantom(17, 12);
    List<double[]> plan = new ArrayList<>(truth(p));
    double[] last = plan.get(plan.size() - 1);
    plan.add(new double[] {last[0] + 9, last[1] + 9, last[2]});
    CtSeries probe = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = implant(plan, probe.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY, probe.frameOfReferenceUid);
    CtSeries.send(dicom.port(), series.files(p.scan()));
    DiagnosticReport report = awaitReport(series.seriesUid);
    List<DetectedIssue> alerts = alertsAtEhr(report);
    assertThat(alerts).extracting(a -> a.getCode().getCodingFirstRep().getCode()).contains("count-mismatch");
    assertThat(alerts.stream().filter(a -> a.getCode().getCodingFirstRep().getCode().equals("count-mismatch"))
        .findFirst().orElseThrow().getDetail())
        .contains("shipped L0 = 20, imaged L1 = 17, remaining L2 = 0, removed L3 = 2; 1 seed unaccounted for");
    assertThat(EHR.created(Flag.class).stream().filter(f -> f.getIdentifierFirstRep().getValue()
        .startsWith(report.getIdentifierFirstRep().getValue()))).isNotEmpty();
    assertThat(report.getConclusionCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("A");
  }

  @Test
  void aMigratedSeedRaisesAPositionAlarm() throws Exception {
    Phantom p = phantom(18, 13);
    List<double[]> plan = new ArrayList<>(truth(p));
    double[] moved = plan.get(5).clone();
    moved[0] += 12;
    plan.set(5, moved);
    CtSeries frame = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = implant(plan, frame.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY, frame.frameOfReferenceUid);
    CtSeries.send(dicom.port(), series.files(p.scan()));
    DiagnosticReport report = awaitReport(series.seriesUid);
    List<DetectedIssue> alerts = alertsAtEhr(report);
    assertThat(alerts).extracting(a -> a.getCode().getCodingFirstRep().getCode())
        .containsExactly("position-deviation");
    assertThat(report.getConclusion()).contains("Positions do NOT match the plan");
  }

  @Test
  void anUnmatchedStudyRaisesAnAlertForTheAdministratorInsteadOfBeingDropped() throws Exception {
    Phantom p = phantom(6, 14);
    CtSeries series = new CtSeries("NOBODY-" + System.nanoTime(), "ACC-NONE-" + System.nanoTime(), TODAY);
    CtSeries.send(dicom.port(), series.files(p.scan()));
    await(() -> unmatchedAlert(series).isPresent(), Duration.ofSeconds(60), "unmatched alert of series "
        + series.seriesUid + "; alerts seen: " + as("admin").search().forResource(DetectedIssue.class).count(200)
        .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> ((DetectedIssue) e.getResource())
            .getIdentifierFirstRep().getValue() + " " + ((DetectedIssue) e.getResource()).getCode().getCodingFirstRep()
            .getCode()).toList());
    DetectedIssue alert = unmatchedAlert(series).orElseThrow();
    assertThat(alert.getCode().getCodingFirstRep().getCode()).isEqualTo("unmatched-study");
    assertThat(alert.getDetail()).contains(series.patientId);
    assertThat(reportAtEhr(series.seriesUid)).isEmpty();
  }

  @Test
  void whileTheEhrIsDownNothingIsLostAndAfterwardsEverythingArrivesOnceInOrder() throws Exception {
    Phantom p = phantom(18, 11);
    CtSeries frame = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = implant(truth(p), frame.frameOfReferenceUid);
    CtSeries first = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY);
    CtSeries second = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY);
    EHR.setDown(true);
    int refusedBefore = EHR.refusedWhileDown();
    try {
      CtSeries.send(dicom.port(), first.files(p.scan()));
      CtSeries.send(dicom.port(), second.files(p.scan()));
      await(() -> EHR.refusedWhileDown() >= refusedBefore + 3, Duration.ofSeconds(90), "retries while the EHR is down");
    } finally {
      EHR.setDown(false);
    }
    DiagnosticReport r1 = awaitReport(first.seriesUid);
    DiagnosticReport r2 = awaitReport(second.seriesUid);
    List<DiagnosticReport> received = EHR.created(DiagnosticReport.class);
    assertThat(received.indexOf(r1)).as("in order for the patient").isLessThan(received.indexOf(r2));
    assertThat(received.stream().filter(r -> r.getIdentifierFirstRep().getValue()
        .equals(r1.getIdentifierFirstRep().getValue()))).as("delivered once").hasSize(1);
  }

  Optional<DetectedIssue> unmatchedAlert(CtSeries series) {
    return as("admin").search().forResource(DetectedIssue.class)
        .where(DetectedIssue.CODE.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace",
            "unmatched-study")).count(200).returnBundle(Bundle.class).execute().getEntry().stream()
        .map(e -> (DetectedIssue) e.getResource())
        .filter(i -> i.getIdentifierFirstRep().getValue().startsWith("VER-" + series.seriesUid + "-"))
        .findFirst();
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
