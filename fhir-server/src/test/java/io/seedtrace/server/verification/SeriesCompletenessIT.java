package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.PlanDocument;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A CT series that does not arrive whole (its association aborted midway, or a slice missing) is
 * not verified as complete: after the grace period (3 s in the tests) the report is preliminary and
 * says what is missing, or, when the volume cannot be assembled, a SeedAlert says nothing was
 * verified. When the whole series arrives, its report supersedes the preliminary one, here and at
 * the EHR (a second FHIR server over HTTP), which also learns that the old report is withdrawn.
 */
class SeriesCompletenessIT extends ServerTestBase {

  private static final String SUPERSEDES = "https://seedtrace.io/fhir/StructureDefinition/supersedes-report";

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  CtSeries seriesOfAnImplant(Phantom p) throws Exception {
    CtSeries frame = new CtSeries("x", null, VerificationIT.TODAY);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    PlanDocument.attachJson(as("physicist"), implant.patientId(), implant.procedureId(), VerificationIT.truth(p),
        frame.frameOfReferenceUid);
    return new CtSeries(implant.dicomPatientId(), implant.accession(), VerificationIT.TODAY,
        frame.frameOfReferenceUid);
  }

  static Optional<DiagnosticReport> reportAtEhr(String verificationId) {
    return EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifierFirstRep().getValue().equals(verificationId)).findFirst();
  }

  static List<String> alertKindsAtEhr(String verificationId) {
    return EHR.created(DetectedIssue.class).stream()
        .filter(i -> i.getIdentifierFirstRep().getValue().startsWith(verificationId + "#"))
        .map(i -> i.getCode().getCodingFirstRep().getCode()).toList();
  }

  @Test
  void anAbortedTransferIsReportedPreliminaryAndTheWholeSeriesSupersedesItAtTheEhr() throws Exception {
    Phantom p = VerificationIT.phantom(18, 31);
    CtSeries series = seriesOfAnImplant(p);
    List<byte[]> files = series.files(p.scan());
    String cut = "VER-" + series.seriesUid + "-30";
    String whole = "VER-" + series.seriesUid + "-" + files.size();

    CtSeries.sendAndAbort(dicom.port(), files.subList(0, 30));
    await().atMost(Duration.ofSeconds(90)).until(() -> reportAtEhr(cut).isPresent());
    DiagnosticReport preliminary = reportAtEhr(cut).orElseThrow();
    assertThat(preliminary.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    assertThat(preliminary.getConclusion()).startsWith("PRELIMINARY: The CT series " + series.seriesUid
        + " is incomplete (an association that carried the series ended without a release");
    assertThat(preliminary.getConclusionCode()).anySatisfy(c -> assertThat(c.getCodingFirstRep().getCode())
        .isEqualTo("incomplete-series"));
    assertThat(alertKindsAtEhr(cut)).contains("incomplete-series");

    CtSeries.send(dicom.port(), files);
    await().atMost(Duration.ofSeconds(90)).until(() -> reportAtEhr(whole).isPresent());
    DiagnosticReport complete = reportAtEhr(whole).orElseThrow();
    assertThat(complete.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
    assertThat(complete.getConclusion()).startsWith("All 20 seeds accounted for");
    assertThat(alertKindsAtEhr(whole)).doesNotContain("incomplete-series");
    Extension link = complete.getExtensionByUrl(SUPERSEDES);
    assertThat(link).as("the new report names the one it supersedes").isNotNull();
    Reference old = (Reference) link.getValue();
    assertThat(old.getIdentifier().getValue()).isEqualTo(cut);
    assertThat(old.hasReference()).as("no id of ours at the EHR").isFalse();

    // the EHR is told the preliminary report is withdrawn, after the new results
    await().atMost(Duration.ofSeconds(60)).until(() -> EHR.patches().stream().anyMatch(x -> x.contains("|" + cut + " ")));
    assertThat(EHR.patches()).contains("DiagnosticReport?identifier=" + VerificationResults.SID_VERIFICATION + "|"
        + cut + " DiagnosticReport.status=entered-in-error");
    assertThat(reportAtEhr(cut).orElseThrow().getStatus())
        .isEqualTo(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR);
    assertThat(EHR.created(DiagnosticReport.class).stream().filter(r -> r.getIdentifierFirstRep().getValue()
        .startsWith("VER-" + series.seriesUid + "-"))).as("one report per verification, none twice").hasSize(2);

    // and so is SeedTrace's own copy
    assertThat(storedReport(cut).getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR);
    DiagnosticReport storedWhole = storedReport(whole);
    assertThat(((Reference) storedWhole.getExtensionByUrl(SUPERSEDES).getValue()).getReference())
        .isEqualTo(storedReport(cut).getIdElement().toUnqualifiedVersionless().getValue());
  }

  @Test
  void aSeriesWithAMissingSliceIsNotVerifiedUntilTheSliceArrives() throws Exception {
    Phantom p = VerificationIT.phantom(18, 32);
    CtSeries series = seriesOfAnImplant(p);
    List<byte[]> files = series.files(p.scan());
    List<byte[]> withGap = new ArrayList<>(files);
    byte[] missing = withGap.remove(20);
    String gapped = "VER-" + series.seriesUid + "-" + withGap.size();

    CtSeries.send(dicom.port(), withGap);
    await().atMost(Duration.ofSeconds(90)).until(() -> alertKindsAtEhr(gapped).contains("incomplete-series"));
    DetectedIssue alert = EHR.created(DetectedIssue.class).stream()
        .filter(i -> i.getIdentifierFirstRep().getValue().equals(gapped + "#incomplete-series")).findFirst()
        .orElseThrow();
    assertThat(alert.getDetail()).contains("1 slice(s) missing").contains("instance number 21 missing")
        .contains("NOT verified");
    assertThat(reportAtEhr(gapped)).as("no report claims anything about a volume with a hole").isEmpty();

    CtSeries.send(dicom.port(), List.of(missing));
    String whole = "VER-" + series.seriesUid + "-" + files.size();
    await().atMost(Duration.ofSeconds(90)).until(() -> reportAtEhr(whole).isPresent());
    assertThat(reportAtEhr(whole).orElseThrow().getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
    assertThat(reportAtEhr(whole).orElseThrow().getConclusion()).startsWith("All 20 seeds accounted for");
  }

  DiagnosticReport storedReport(String verificationId) {
    return (DiagnosticReport) as("admin").search().forResource(DiagnosticReport.class)
        .where(DiagnosticReport.IDENTIFIER.exactly().systemAndCode(VerificationResults.SID_VERIFICATION, verificationId))
        .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
  }
}
