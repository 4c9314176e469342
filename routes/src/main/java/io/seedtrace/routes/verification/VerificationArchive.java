package io.seedtrace.routes.verification;

/**
 * Where the outcome of a verification is recorded (the server's FHIR store, with Provenance and
 * audit). Every method may be called again for the same verification after a crash: records are
 * identified by the verification id, so nothing is stored twice. Safe for concurrent use.
 */
public interface VerificationArchive {

  /** Stores the results of a verification that ran to the end; the report supersedes an earlier one of the series. */
  StoredResults store(StudyVerification verification);

  /** The study matches no implant: an alert for the administrator; nothing goes to the EHR. */
  void unmatched(StudyVerification verification);

  /**
   * The study was matched but its seeds could not be verified ({@code why.kind()} e.g. {@code
   * detection-incomplete}): an alert on the patient, to the administrator and the EHR.
   */
  void notVerified(StudyVerification verification, Alarm why);

  /** The study cannot be verified at all (e.g. the implant names no cartridge): the administrator is told. */
  void refused(StudyVerification verification, String why);
}
