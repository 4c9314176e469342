package io.seedtrace.routes.ehr;

import org.apache.camel.builder.RouteBuilder;

/**
 * Drives the EHR outbox: every {@code periodMs} the dispatcher delivers the messages that are due
 * (oldest first, in order per patient, with exponential backoff after failures). The outbox
 * itself is persisted by the server, so messages survive restarts and EHR outages; what fails
 * after the last attempt becomes a dead letter the administrator can see and replay.
 */
public final class EhrDeliveryRoute extends RouteBuilder {

  public static final String ROUTE_ID = "ehr-delivery";

  private final OutboxDispatcher dispatcher;
  private final long periodMs;

  public EhrDeliveryRoute(OutboxDispatcher dispatcher, long periodMs) {
    this.dispatcher = dispatcher;
    this.periodMs = periodMs;
  }

  @Override
  public void configure() {
    from("timer:ehr-outbox?delay=" + periodMs + "&period=" + periodMs)
        .routeId(ROUTE_ID)
        .routeDescription("Deliver verification results to the hospital EHR")
        .process(exchange -> exchange.getMessage().setBody(dispatcher.deliverDue()))
        .filter(simple("${body} > 0"))
        .log("Delivered ${body} message(s) to the EHR");
  }
}
