package io.seedtrace.routes.custody;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * The administrator channel: security events that need a person (a rotated trace key and its new
 * value, a refused chip, a malicious hop) go to {@value #ENDPOINT} and from there to every
 * configured endpoint (log by default; email or a webhook are Camel URIs too). The server also
 * stores each message as an admin-only FHIR Communication. Undeliverable messages are written to
 * {@code deadLetterUri}.
 */
public final class AdminChannelRoute extends RouteBuilder {

  public static final String ENDPOINT = "direct:admin-channel";
  public static final String ROUTE_ID = "admin-channel";

  private final List<String> endpoints;
  private final String deadLetterUri;

  public AdminChannelRoute(List<String> endpoints, String deadLetterUri) {
    this.endpoints = List.copyOf(endpoints);
    this.deadLetterUri = deadLetterUri;
  }

  @Override
  public void configure() {
    errorHandler(deadLetterChannel(deadLetterUri).maximumRedeliveries(3).redeliveryDelay(500)
        .useExponentialBackOff().useOriginalMessage());
    from(ENDPOINT)
        .routeId(ROUTE_ID)
        .routeDescription("Messages for the administrator")
        .recipientList(constant(String.join(",", endpoints)));
  }
}
