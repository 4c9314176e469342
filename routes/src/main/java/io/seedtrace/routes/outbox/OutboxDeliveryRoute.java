package io.seedtrace.routes.outbox;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers a persisted outbox as three routes, so that what happens to each message shows in the
 * routes console and the route metrics:
 *
 * <ul>
 *   <li>{@code <id>}: one exchange per due message ({@link OutboxConsumer}); the send is a step,
 *       and a message the receiver did not take fails its exchange (the route's failure count);
 *   <li>{@code <id>-retry}: each failed attempt that will be tried again; it records the backoff
 *       and the header {@value #NEXT_ATTEMPT_AT};
 *   <li>{@code <id>-dead-letter}: each message given up on (last attempt, or refused for good); it
 *       stays in the table as a dead letter the administrator sees and can replay.
 * </ul>
 *
 * <p>The database row stays the source of truth: a node that stops anywhere between the claim and
 * the settlement leaves a lease that runs out, and the message is claimed again.
 *
 * <pre>{@code
 * new OutboxDeliveryRoute<>("ehr-delivery", "Deliver verification results to the hospital EHR", ehrOutbox, 500);
 * }</pre>
 *
 * @param <M> a message the outbox hands out
 */
public final class OutboxDeliveryRoute<M extends Outbox.Held> extends RouteBuilder {

  /** The header the retry route sets: when the failed message is tried again. */
  public static final String NEXT_ATTEMPT_AT = "SeedTraceOutboxNextAttemptAt";

  private static final String FAILURE = "SeedTraceOutboxFailure";

  private final String routeId;
  private final String description;
  private final Outbox<M> outbox;
  private final long periodMs;

  /**
   * @param routeId the delivery route's id; the retry and dead-letter routes get it with
   *     {@code -retry} and {@code -dead-letter} appended
   * @param periodMs how often the outbox is polled for due messages (the retries; a new message
   *     goes out at once when the outbox is kicked)
   * @throws IllegalArgumentException when the period is not positive
   */
  public OutboxDeliveryRoute(String routeId, String description, Outbox<M> outbox, long periodMs) {
    if (periodMs <= 0) {
      throw new IllegalArgumentException("the poll period of " + routeId + " must be positive, got " + periodMs + " ms");
    }
    this.routeId = routeId;
    this.description = description;
    this.outbox = outbox;
    this.periodMs = periodMs;
  }

  public static String retryRouteId(String routeId) {
    return routeId + "-retry";
  }

  public static String deadLetterRouteId(String routeId) {
    return routeId + "-dead-letter";
  }

  @Override
  public void configure() {
    String retry = "direct:" + retryRouteId(routeId);
    String deadLetter = "direct:" + deadLetterRouteId(routeId);
    onException(Exception.class).handled(false).logExhausted(false).logStackTrace(false)
        .process(this::keepFailure)
        .choice()
            .when(exchange -> outbox.givesUp(message(exchange), failure(exchange))).to(deadLetter)
            .otherwise().to(retry)
        .end();

    from(new OutboxEndpoint(routeId, component(), outbox, periodMs))
        .routeId(routeId)
        .routeDescription(description)
        .process(exchange -> outbox.send(message(exchange))).id(routeId + "-send")
        .process(exchange -> outbox.settleDelivered(message(exchange))).id(routeId + "-settle");

    from(retry)
        .routeId(retryRouteId(routeId))
        .routeDescription("Failed attempts of " + routeId + " waiting for their next attempt (backoff)")
        .process(exchange -> exchange.getMessage().setHeader(NEXT_ATTEMPT_AT,
            outbox.retryLater(message(exchange), failure(exchange))))
        .log(LoggingLevel.DEBUG, "${routeId}: message ${header." + OutboxConsumer.MESSAGE_ID + "} not delivered (attempt ${header."
            + OutboxConsumer.ATTEMPT + "}); next attempt at ${header." + NEXT_ATTEMPT_AT + "}");

    from(deadLetter)
        .routeId(deadLetterRouteId(routeId))
        .routeDescription("Messages of " + routeId + " given up on: kept as dead letters to see and replay")
        .process(exchange -> outbox.deadLetter(message(exchange), failure(exchange)));
  }

  private OutboxEndpoint.OutboxComponent component() {
    if (getContext().hasComponent("outbox") instanceof OutboxEndpoint.OutboxComponent existing) {
      return existing;
    }
    OutboxEndpoint.OutboxComponent component = new OutboxEndpoint.OutboxComponent();
    getContext().addComponent("outbox", component);
    return component;
  }

  private void keepFailure(Exchange exchange) {
    Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    exchange.setProperty(FAILURE, DeliveryFailure.of(caught));
  }

  @SuppressWarnings("unchecked")
  private M message(Exchange exchange) {
    return (M) exchange.getMessage().getBody(Outbox.Held.class);
  }

  private static DeliveryFailure failure(Exchange exchange) {
    return exchange.getProperty(FAILURE, DeliveryFailure.class);
  }
}
