package io.seedtrace.detection;

/**
 * The volume is not a CT the detector can count seeds in (for instance it holds thousands of
 * separate bright objects, as noise or a test pattern does): refused with the reason, quickly,
 * rather than measured for minutes or counted wrongly.
 */
public final class UnusableScanException extends Exception {

  public UnusableScanException(String reason) {
    super(reason);
  }
}
