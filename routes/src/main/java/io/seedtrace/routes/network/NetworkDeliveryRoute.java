package io.seedtrace.routes.network;

import io.seedtrace.routes.ehr.OutboxDispatcher;
import org.apache.camel.builder.RouteBuilder;

/**
 * Drives the network outbox: every {@code periodMs} the dispatcher sends the signed custody
 * messages that are due to the other organisations' nodes (oldest first, in order per cartridge or
 * order, with exponential backoff while a node is unreachable). The outbox is persisted by the
 * server, so a message survives restarts and a peer that is down for days.
 */
public final class NetworkDeliveryRoute extends RouteBuilder {

  public static final String ROUTE_ID = "network-delivery";

  private final OutboxDispatcher dispatcher;
  private final long periodMs;

  public NetworkDeliveryRoute(OutboxDispatcher dispatcher, long periodMs) {
    if (periodMs <= 0) {
      throw new IllegalArgumentException("the network outbox poll period must be positive, got " + periodMs + " ms");
    }
    this.dispatcher = dispatcher;
    this.periodMs = periodMs;
  }

  @Override
  public void configure() {
    from("timer:network-outbox?delay=" + periodMs + "&period=" + periodMs)
        .routeId(ROUTE_ID)
        .routeDescription("Send signed custody messages to the other organisations' nodes")
        .process(exchange -> exchange.getMessage().setBody(dispatcher.deliverDue()))
        .filter(simple("${body} > 0"))
        .log("Delivered ${body} custody message(s) to other nodes");
  }
}
