package io.seedtrace.routes.custody;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * Tells the manufacturer about an accepted seed order. The server hands the order (FHIR JSON) to
 * {@value #ENDPOINT} after the order is stored; the route sends it to each configured endpoint
 * (e.g. {@code https://manufacturer.example/orders}, a queue, or the default log). What cannot be
 * delivered after the retries is written to {@code deadLetterUri} (a file endpoint by default), so
 * nothing is lost silently.
 */
public final class ManufacturerOrderRoute extends RouteBuilder {

  public static final String ENDPOINT = "direct:seed-order-accepted";
  public static final String ROUTE_ID = "seed-order-to-manufacturer";

  private final List<String> endpoints;
  private final String deadLetterUri;

  public ManufacturerOrderRoute(List<String> endpoints, String deadLetterUri) {
    this.endpoints = List.copyOf(endpoints);
    this.deadLetterUri = deadLetterUri;
  }

  @Override
  public void configure() {
    errorHandler(deadLetterChannel(deadLetterUri).maximumRedeliveries(3).redeliveryDelay(500)
        .useExponentialBackOff().useOriginalMessage());
    from(ENDPOINT)
        .routeId(ROUTE_ID)
        .routeDescription("An accepted seed order goes to the manufacturer")
        .log("Seed order ${header.orderIdentifier} accepted; notifying the manufacturer")
        .recipientList(constant(String.join(",", endpoints)));
  }
}
