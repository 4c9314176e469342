package io.seedtrace.routes.verification;

import java.util.Optional;

/**
 * The results of a verification as stored, ready to be delivered.
 *
 * @param reportId the stored report, e.g. {@code DiagnosticReport/77}
 * @param patient the patient the results concern (the EHR receives them in order per patient)
 * @param ehrMessage what the EHR receives (a FHIR bundle as JSON)
 * @param conclusion the stored report's conclusion, as the verification's outcome
 * @param supersedes the earlier report of the same series that these results replace, if any
 */
public record StoredResults(String reportId, String patient, String ehrMessage, String conclusion,
    Optional<Supersession> supersedes) {

  /**
   * An earlier report withdrawn by a later verification of its series.
   *
   * @param verificationId the earlier verification
   * @param reportId its report
   * @param ehrMessage what tells the EHR that report is withdrawn
   */
  public record Supersession(String verificationId, String reportId, String ehrMessage) {}
}
