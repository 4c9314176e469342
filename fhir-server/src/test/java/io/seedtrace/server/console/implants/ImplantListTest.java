package io.seedtrace.server.console.implants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;

class ImplantListTest {

  private static DiagnosticReport report(DiagnosticReport.DiagnosticReportStatus status) {
    return new DiagnosticReport().setStatus(status);
  }

  @Test
  void theStateOfAnImplantFollowsItsLatestReportAndItsAlarms() {
    DiagnosticReport fin = report(DiagnosticReport.DiagnosticReportStatus.FINAL);
    assertThat(ImplantRows.status(null, List.of())).isEqualTo(VerificationStatus.WAITING);
    assertThat(ImplantRows.status(fin, List.of())).isEqualTo(VerificationStatus.VERIFIED);
    assertThat(ImplantRows.status(fin, List.of("count-uncertain"))).isEqualTo(VerificationStatus.COUNT_UNCERTAIN);
    assertThat(ImplantRows.status(fin, List.of("count-uncertain", "position-deviation")))
        .as("an uncertain count does not hide another alarm").isEqualTo(VerificationStatus.ALARM);
    assertThat(ImplantRows.status(fin, List.of("count-mismatch"))).isEqualTo(VerificationStatus.ALARM);
    assertThat(ImplantRows.status(report(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY), List.of("incomplete-series")))
        .isEqualTo(VerificationStatus.INCOMPLETE);
  }

  @Test
  void everyStateHasTheKeyTheFilterUses() {
    for (VerificationStatus s : VerificationStatus.values()) {
      assertThat(VerificationStatus.ofKey(s.key())).contains(s);
    }
    assertThat(VerificationStatus.ofKey("nonsense")).isEmpty();
  }
}
