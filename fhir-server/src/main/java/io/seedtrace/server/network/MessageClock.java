package io.seedtrace.server.network;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * What a receiver accepts as a message's time ({@code Bundle.timestamp}, set by the sender when it
 * built and signed the message). Clocks of organisations differ: up to {@link #FUTURE_TOLERANCE}
 * ahead of the receiver's clock is taken as skew, more is refused, since such a stamp would make
 * the message look newer than what follows it. A message may be old: the sender's outbox retries
 * for up to {@code give-up-after} (7 days by default), so a message of a node that was offline for
 * days arrives days late. Older than that plus one day of slack it cannot have come from an outbox,
 * and is refused. Replays of younger messages are stopped by the message id, which the inbox keeps
 * for good.
 */
public final class MessageClock {

  /** How far a sender's clock may run ahead of ours. */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  /** Slack beyond the outbox's retry period. */
  static final Duration PAST_SLACK = Duration.ofDays(1);

  private MessageClock() {}

  /**
   * @throws RefusedMessage (400) without a timestamp, (422) when it lies too far in the future or past
   */
  public static void check(Date timestamp, Instant now, Duration retriedFor) {
    if (timestamp == null) {
      throw new RefusedMessage(400, "the message has no timestamp (Bundle.timestamp)");
    }
    Instant stamped = timestamp.toInstant();
    if (stamped.isAfter(now.plus(FUTURE_TOLERANCE))) {
      throw new RefusedMessage(422, "the message is dated " + stamped + ", more than " + FUTURE_TOLERANCE.toMinutes()
          + " minutes after this node's clock (" + now + "); check the sender's clock");
    }
    Duration oldest = retriedFor.plus(PAST_SLACK);
    if (stamped.isBefore(now.minus(oldest))) {
      throw new RefusedMessage(422, "the message is dated " + stamped + ", older than an outbox retries ("
          + oldest.toDays() + " days)");
    }
  }
}
