package io.seedtrace.routes.custody;

import java.util.List;

/**
 * Tells the manufacturer about an accepted seed order: the server hands the order (FHIR JSON, header
 * {@code orderIdentifier}) to {@value #ENDPOINT} after it is stored, and the route sends it to each
 * configured endpoint (e.g. {@code https://manufacturer.example/orders}, a queue, or the default log).
 */
public final class ManufacturerOrderRoute extends FanOutRoute {

  public static final String ENDPOINT = "direct:seed-order-accepted";
  public static final String ROUTE_ID = "seed-order-to-manufacturer";

  public ManufacturerOrderRoute(List<String> endpoints, String deadLetterUri) {
    super(ENDPOINT, ROUTE_ID, "An accepted seed order goes to the manufacturer", endpoints, deadLetterUri);
  }
}
