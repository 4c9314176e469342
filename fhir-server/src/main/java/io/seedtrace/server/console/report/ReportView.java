package io.seedtrace.server.console.report;

import io.seedtrace.server.verification.SeedFigures;
import java.util.Date;
import java.util.List;

/**
 * A verification report as its page shows it.
 *
 * @param reportId the DiagnosticReport's id
 * @param status the report's FHIR status ({@code final}, {@code preliminary}, ...)
 * @param effective when the CT was taken
 * @param patient the patient's reference and display
 * @param procedureId the implant Procedure's id, or null
 * @param deviceId the cartridge Device's id, or null
 * @param verificationId the verification's id (the report's identifier)
 * @param seriesUid the CT series' UID, or null
 * @param conclusion the conclusion in words
 * @param counts the count balance
 * @param position the comparison with the plan, or null when there was no plan
 * @param alarms the report's alarms
 * @param signedOffBy who signed the report off (the report's resultsInterpreter), or null
 * @param figures what the verification found seed by seed, or null when it kept none
 * @param dose the implant's dose-volume figures, empty when no dose was computed
 */
public record ReportView(String reportId, String status, Date effective, String patient, String procedureId,
    String deviceId, String verificationId, String seriesUid, String conclusion, Counts counts, Position position,
    List<Alarm> alarms, String signedOffBy, SeedFigures figures, List<DoseFigure> dose) {

  /** One component of the implant-dose observation, e.g. "Target D90 (Prostate)", "170.2 Gy". */
  public record DoseFigure(String what, String value) {}

  /**
   * L0 = L1 + L2 + L3; null where the count was never recorded.
   *
   * @param uncertainNote the detector's note when its count is uncertain, or null
   */
  public record Counts(Integer shipped, Integer imaged, Integer remaining, Integer removed, String uncertainNote) {

    /** L0 - (L1 + L2 + L3): seeds unaccounted for (negative: more seen than shipped); null when a count is missing. */
    public Integer unaccounted() {
      if (shipped == null || imaged == null || remaining == null || removed == null) {
        return null;
      }
      return shipped - imaged - remaining - removed;
    }
  }

  /** The SeedPositionVerification observation's figures; null where absent. */
  public record Position(Double score, Integer matched, Integer missing, Integer extra, Double maxDisplacementMm,
      Double meanDisplacementMm, Double residualMm, String registration) {}

  /** A SeedAlert of the report. */
  public record Alarm(String id, String kind, String severity, String detail, boolean acknowledged) {}
}
