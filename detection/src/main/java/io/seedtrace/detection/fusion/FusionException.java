package io.seedtrace.detection.fusion;

/** A registration that cannot be done (unusable volumes) or did not finish within its budget; the message says which. */
public final class FusionException extends Exception {

  public FusionException(String message) {
    super(message);
  }
}
