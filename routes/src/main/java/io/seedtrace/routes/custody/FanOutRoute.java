package io.seedtrace.routes.custody;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * A route that hands each message to a configured list of endpoints (Camel URIs: log, HTTP, mail,
 * a queue, a file), retried with backoff; what cannot be delivered is written to the dead-letter
 * URI (a file endpoint under the data directory), so nothing is lost silently.
 */
abstract class FanOutRoute extends RouteBuilder {

  private final String from;
  private final String routeId;
  private final String description;
  private final List<String> endpoints;
  private final String deadLetterUri;

  FanOutRoute(String from, String routeId, String description, List<String> endpoints, String deadLetterUri) {
    this.from = from;
    this.routeId = routeId;
    this.description = description;
    this.endpoints = List.copyOf(endpoints);
    this.deadLetterUri = deadLetterUri;
  }

  @Override
  public void configure() {
    errorHandler(deadLetterChannel(deadLetterUri).maximumRedeliveries(3).redeliveryDelay(500)
        .useExponentialBackOff().useOriginalMessage());
    from(from)
        .routeId(routeId)
        .routeDescription(description)
        .log(description + " (${header.topic}${header.orderIdentifier})")
        .recipientList(constant(String.join(",", endpoints)));
  }
}
