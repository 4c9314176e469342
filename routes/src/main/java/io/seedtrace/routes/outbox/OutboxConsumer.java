package io.seedtrace.routes.outbox;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Claims the due messages of an outbox and routes each as its own exchange, on the poll and when
 * the outbox is kicked (a new message goes out at once). A poll with nothing due makes no exchange,
 * so an idle outbox does not count as completed work in the route's statistics.
 *
 * @param <M> a message this node holds
 */
public final class OutboxConsumer<M extends Outbox.Held> extends ScheduledPollConsumer {

  /** The header holding the outbox row id of the exchange's message. */
  public static final String MESSAGE_ID = "SeedTraceOutboxMessageId";

  /** The header holding the attempt the exchange is (1 for the first). */
  public static final String ATTEMPT = "SeedTraceOutboxAttempt";

  /** At most this many messages per pass, so that a pass ends and the node stops promptly. */
  static final int PER_PASS = 500;

  private final Outbox<M> outbox;
  private volatile DeliveryKick kick;

  OutboxConsumer(OutboxEndpoint endpoint, Processor processor, Outbox<M> outbox) {
    super(endpoint, processor);
    this.outbox = outbox;
  }

  @Override
  protected int poll() {
    return deliverDue();
  }

  /**
   * Claims and routes due messages one by one on the calling thread until none is left for this
   * node; returns how many exchanges completed (messages delivered). A failed exchange is already
   * settled by the route (a retry or a dead letter).
   */
  public int deliverDue() {
    Set<Long> tried = new HashSet<>();
    int delivered = 0;
    for (Optional<M> held = outbox.claimNext(tried); held.isPresent() && isRunAllowed() && tried.size() < PER_PASS;
        held = outbox.claimNext(tried)) {
      tried.add(held.get().id());
      Exchange exchange = createExchange(true);
      exchange.getMessage().setBody(held.get());
      exchange.getMessage().setHeader(MESSAGE_ID, held.get().id());
      exchange.getMessage().setHeader(ATTEMPT, held.get().attempts());
      try {
        getProcessor().process(exchange);
      } catch (Exception e) {
        exchange.setException(e);
      }
      delivered += exchange.isFailed() ? 0 : 1;
      releaseExchange(exchange, false);
    }
    return delivered;
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    kick = new DeliveryKick(getEndpoint().getEndpointUri() + "-kick", getEndpoint().getEndpointUri(), this::deliverDue);
    outbox.attach(kick::kick);
  }

  @Override
  protected void doStop() throws Exception {
    outbox.attach(() -> { });
    if (kick != null) {
      kick.close();
    }
    super.doStop();
  }
}
