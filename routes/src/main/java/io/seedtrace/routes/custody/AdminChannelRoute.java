package io.seedtrace.routes.custody;

import java.util.List;

/**
 * The administrator channel: security events that need a person (a rotated trace key and its new
 * value, a refused chip, a malicious hop, a verification alarm) go to {@value #ENDPOINT}, header
 * {@code topic}, and from there to every configured endpoint (log by default; email or a webhook are
 * Camel URIs too). The server also stores each message as an admin-only FHIR Communication.
 */
public final class AdminChannelRoute extends FanOutRoute {

  public static final String ENDPOINT = "direct:admin-channel";
  public static final String ROUTE_ID = "admin-channel";

  public AdminChannelRoute(List<String> endpoints, String deadLetterUri) {
    super(ENDPOINT, ROUTE_ID, "A message for the administrator", endpoints, deadLetterUri);
  }
}
