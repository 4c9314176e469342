package io.seedtrace.routes.outbox;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * The endpoint {@code outbox://<route id>} a delivery route consumes from: its consumer polls the
 * outbox every {@code periodMs} and makes one exchange per claimed message (none when nothing is
 * due). It has no producer: messages enter an outbox through the database, never through Camel.
 */
public final class OutboxEndpoint extends DefaultEndpoint {

  /** The component the outbox endpoints belong to; they are made by {@link OutboxDeliveryRoute}, not by URI. */
  public static final class OutboxComponent extends DefaultComponent {
    @Override
    protected org.apache.camel.Endpoint createEndpoint(String uri, String remaining, java.util.Map<String, Object> p) {
      throw new IllegalArgumentException("outbox endpoints are made by the delivery routes, not by URI: " + uri);
    }
  }

  private final Outbox<?> outbox;
  private final long periodMs;

  OutboxEndpoint(String name, OutboxComponent component, Outbox<?> outbox, long periodMs) {
    super("outbox://" + name, component);
    if (periodMs <= 0) {
      throw new IllegalArgumentException("the poll period of outbox " + name + " must be positive, got " + periodMs
          + " ms");
    }
    this.outbox = outbox;
    this.periodMs = periodMs;
  }

  @Override
  public Producer createProducer() {
    throw new UnsupportedOperationException("messages enter an outbox through its table, not through " + getEndpointUri());
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    OutboxConsumer<?> consumer = new OutboxConsumer<>(this, processor, outbox);
    consumer.setInitialDelay(periodMs);
    consumer.setDelay(periodMs);
    configureConsumer(consumer);
    return consumer;
  }

  @Override
  public boolean isSingleton() {
    return true;
  }
}
