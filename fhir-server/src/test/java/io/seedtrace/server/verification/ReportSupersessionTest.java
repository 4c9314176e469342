package io.seedtrace.server.verification;

import io.seedtrace.routes.verification.IncompleteSeries;
import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.spool.SeriesCompleteness;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ReportSupersessionTest {

  private static final ReportSupersession.Earlier EARLIER = new ReportSupersession.Earlier("VER-1.2.3-30",
      "DiagnosticReport/17");

  @Test
  void theNewReportNamesTheOldOneByIdHereAndByIdentifierForTheEhr() {
    DiagnosticReport report = new DiagnosticReport();
    ReportSupersession.link(report, EARLIER);
    Reference old = (Reference) report.getExtensionByUrl(ReportSupersession.EXT_SUPERSEDES).getValue();
    assertThat(old.getReference()).isEqualTo("DiagnosticReport/17");
    assertThat(old.getIdentifier().getSystem()).isEqualTo(VerificationResults.SID_VERIFICATION);
    assertThat(old.getIdentifier().getValue()).isEqualTo("VER-1.2.3-30");

    Bundle ehr = new Bundle();
    ehr.addEntry().setResource(report);
    ReportSupersession.linkByIdentifierOnly(ehr);
    assertThat(old.hasReference()).isFalse();
    assertThat(old.getIdentifier().getValue()).isEqualTo("VER-1.2.3-30");
  }

  @Test
  void theOldReportIsWithdrawnHereAndByAConditionalPatchAtTheEhr() {
    DiagnosticReport old = new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    assertThat(ReportSupersession.withdrawn(old).getStatus())
        .isEqualTo(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR);

    Bundle tx = ReportSupersession.withdrawalAtEhr(EARLIER);
    assertThat(tx.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(tx.getEntry()).hasSize(1);
    Bundle.BundleEntryRequestComponent request = tx.getEntryFirstRep().getRequest();
    assertThat(request.getMethod()).isEqualTo(Bundle.HTTPVerb.PATCH);
    assertThat(request.getUrl()).isEqualTo("DiagnosticReport?identifier=" + VerificationResults.SID_VERIFICATION
        + "|VER-1.2.3-30");
    Parameters.ParametersParameterComponent op = ((Parameters) tx.getEntryFirstRep().getResource()).getParameterFirstRep();
    assertThat(op.getName()).isEqualTo("operation");
    assertThat(op.getPart()).extracting(p -> p.getName() + "=" + p.getValue().primitiveValue())
        .containsExactly("type=replace", "path=DiagnosticReport.status", "value=entered-in-error");
  }

  @Test
  void anIncompleteSeriesMakesThePreliminaryReportSayWhatIsMissingFirst() {
    SeriesStableEvent event = new SeriesStableEvent("1.2", "1.2.3", "1.2.9", "CT", "1.2.840.10008.5.1.4.1.1.2", "P1",
        "ACC", 30, List.of(), false, new SeriesCompleteness(List.of("instance number 7 missing"), true));
    assertThat(IncompleteSeries.of(event)).isTrue();
    DiagnosticReport report = new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
        .setConclusion("All 20 seeds accounted for.");
    VerificationResults.markPreliminary(report, event);
    assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    assertThat(report.getConclusion()).startsWith("PRELIMINARY: The CT series 1.2.3 is incomplete (instance number 7"
        + " missing; an association that carried the series ended without a release").contains("30 instance(s)")
        .endsWith("All 20 seeds accounted for.");
    assertThat(report.getConclusionCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("incomplete-series");
    assertThat(IncompleteSeries.alarm(event).kind()).isEqualTo("incomplete-series");

    SeriesStableEvent whole = new SeriesStableEvent("1.2", "1.2.3", "1.2.9", "CT", "1.2.840.10008.5.1.4.1.1.2", "P1",
        "ACC", 30, List.of(), false);
    assertThat(IncompleteSeries.of(whole)).isFalse();
  }
}
