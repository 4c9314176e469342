package io.seedtrace.routes.outbox;

/**
 * A delivery attempt that the receiver did not take; thrown by {@link Outbox#send} so that the
 * exchange fails and counts as a failure of its route.
 */
public final class DeliveryFailure extends RuntimeException {

  private final boolean permanent;
  private final boolean unanswered;

  /**
   * @param error what went wrong, as the administrator reads it
   * @param permanent true when trying again cannot help (the receiver refused the message for good)
   * @param unanswered true when the receiver did not answer in time and may still be working on it
   */
  public DeliveryFailure(String error, boolean permanent, boolean unanswered) {
    super(error == null ? "delivery failed" : error, null, false, false);
    this.permanent = permanent;
    this.unanswered = unanswered;
  }

  /** A failure of anything else on the way (the database, a bug): worth another attempt. */
  public static DeliveryFailure of(Throwable cause) {
    return cause instanceof DeliveryFailure failure ? failure
        : new DeliveryFailure(String.valueOf(cause), false, false);
  }

  public boolean permanent() {
    return permanent;
  }

  public boolean unanswered() {
    return unanswered;
  }
}
