package io.seedtrace.server.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.server.custody.CustodyCodes;
import org.hl7.fhir.r4.model.DiagnosticReport;

/**
 * What a verification of a CT series that did not arrive whole says: an alarm of kind {@code
 * incomplete-series} naming what is missing, and a report that is only {@code preliminary}, with
 * the incompleteness first in its conclusion and among its conclusion codes.
 */
final class IncompleteSeries {

  static final String KIND = "incomplete-series";

  private IncompleteSeries() {}

  static boolean of(SeriesStableEvent event) {
    return !event.completeness().complete();
  }

  /** The sentence for the alarm and the conclusion. */
  static String detail(SeriesStableEvent event) {
    return "The CT series " + event.seriesUid() + " is incomplete (" + event.completeness().describe() + "): the seeds"
        + " were looked for in the " + event.instanceCount() + " instance(s) received only. This report is preliminary"
        + " until the whole series arrives; its verification will supersede this one.";
  }

  static VerificationResults.Alarm alarm(SeriesStableEvent event) {
    return new VerificationResults.Alarm(KIND, detail(event));
  }

  /** Makes the report preliminary and says why first. */
  static void markPreliminary(DiagnosticReport report, SeriesStableEvent event) {
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    report.setConclusion("PRELIMINARY: " + detail(event) + " " + report.getConclusion());
    report.addConclusionCode(CustodyCodes.concept(KIND));
  }
}
