package io.seedtrace.routes.subscription;

import io.seedtrace.routes.ehr.OutboxDispatcher;
import org.apache.camel.builder.RouteBuilder;

/**
 * Retries subscription notifications: a new notification is sent at once by the server, and every
 * {@code periodMs} this route sends those whose endpoint was down and whose next attempt is due
 * (exponential backoff, in order per subscription). The notifications are persisted by the server,
 * so an endpoint that is down across a restart still gets them.
 */
public final class NotificationDeliveryRoute extends RouteBuilder {

  public static final String ROUTE_ID = "subscription-delivery";

  private final OutboxDispatcher dispatcher;
  private final long periodMs;

  public NotificationDeliveryRoute(OutboxDispatcher dispatcher, long periodMs) {
    if (periodMs <= 0) {
      throw new IllegalArgumentException("the subscription notification poll period must be positive, got "
          + periodMs + " ms");
    }
    this.dispatcher = dispatcher;
    this.periodMs = periodMs;
  }

  @Override
  public void configure() {
    from("timer:subscription-notifications?delay=" + periodMs + "&period=" + periodMs)
        .routeId(ROUTE_ID)
        .routeDescription("Retry FHIR Subscription notifications whose endpoint was down")
        .process(exchange -> exchange.getMessage().setBody(dispatcher.deliverDue()))
        .filter(simple("${body} > 0"))
        .log("Delivered ${body} subscription notification(s) on retry");
  }
}
