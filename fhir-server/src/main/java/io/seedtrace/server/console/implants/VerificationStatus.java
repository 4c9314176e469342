package io.seedtrace.server.console.implants;

import java.util.Arrays;
import java.util.Optional;

/** The state of an implant's verification, as people name it. */
public enum VerificationStatus {
  WAITING("waiting", "waiting for CT"),
  VERIFIED("verified", "verified"),
  ALARM("alarm", "alarm"),
  COUNT_UNCERTAIN("uncertain", "count uncertain"),
  INCOMPLETE("incomplete", "incomplete series");

  private final String key;
  private final String label;

  VerificationStatus(String key, String label) {
    this.key = key;
    this.label = label;
  }

  /** The value in the filter's query parameter and the CSS class suffix. */
  public String key() {
    return key;
  }

  public String label() {
    return label;
  }

  public static Optional<VerificationStatus> ofKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
  }
}
