package io.seedtrace.routes.verification;

/**
 * The state of each verification (one per series version), kept by the server: what makes a
 * repeated study harmless and what operators see in {@code $verifications}.
 */
public interface VerificationLedger {

  /** True when the verification ended with an outcome (verified, alarmed, refused, ...). */
  boolean finished(String verificationId);

  /** An attempt begins (the first, or a repeat after a failure or a crash). */
  void started(String verificationId, String seriesUid, String studyUid);

  /** The pipeline gave up on the study after its last attempt; {@code error} says why. */
  void gaveUp(String verificationId, String error);
}
