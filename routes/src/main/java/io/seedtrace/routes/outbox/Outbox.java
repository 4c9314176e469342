package io.seedtrace.routes.outbox;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A persisted outbox as the delivery routes drive it ({@link OutboxDeliveryRoute}): the database
 * row is the source of truth, the route only moves one claimed message at a time through its steps.
 *
 * <p>The consumer claims a due message ({@link #claimNext}, a conditional update with a lease, so
 * one node holds it), the route sends it ({@link #send}, which throws {@link DeliveryFailure}) and
 * marks it delivered ({@link #settleDelivered}). A failed exchange goes to the retry route
 * ({@link #retryLater}) or, when {@link #givesUp}, to the dead-letter route ({@link #deadLetter}).
 * A node that dies anywhere in between leaves a claim that runs out, and the message is taken
 * again: delivery is at least once, made harmless by each outbox's idempotency key.
 *
 * @param <M> a message this node holds
 */
public interface Outbox<M extends Outbox.Held> {

  /** A claimed message: its row id and the attempts so far, this one included. */
  interface Held {
    long id();

    int attempts();
  }

  /** Claims the oldest due message no node holds and that is not in {@code tried}, or nothing. */
  Optional<M> claimNext(Set<Long> tried);

  /** One delivery attempt; throws {@link DeliveryFailure} when the receiver did not take it. */
  void send(M message);

  /** Marks a sent message delivered; false when this node's claim ran out meanwhile. */
  boolean settleDelivered(M message);

  /** Whether a failure ends the message's delivery (it was the last attempt, or it can never succeed). */
  boolean givesUp(M message, DeliveryFailure failure);

  /** Records the failure and when to try again (the backoff); returns that time. */
  Instant retryLater(M message, DeliveryFailure failure);

  /** Makes the message a dead letter, kept for the administrator to see and replay, and tells them. */
  void deadLetter(M message, DeliveryFailure failure);

  /**
   * Called by the consumer when it starts (and with a no-op when it stops): running
   * {@code deliverNow} delivers what is due at once, instead of at the next poll.
   */
  void attach(Runnable deliverNow);
}
