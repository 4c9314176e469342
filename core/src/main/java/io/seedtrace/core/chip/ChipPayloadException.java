package io.seedtrace.core.chip;

/**
 * A chip payload that is refused, with the reason a reader, an alert and an audit entry can state.
 * Nothing of a refused payload is ever returned.
 */
public class ChipPayloadException extends Exception {

  /** Why the payload was refused. */
  public enum Reason {
    TRUNCATED, TRAILING_BYTES, MALFORMED, NOT_DETERMINISTIC, UNSUPPORTED_VERSION, UNKNOWN_KEY, BAD_SIGNATURE,
    MISSING_FIELD, UNKNOWN_FIELD, DUPLICATE_FIELD, FIELD_OUT_OF_RANGE, TOO_LARGE
  }

  private final Reason reason;

  public ChipPayloadException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
