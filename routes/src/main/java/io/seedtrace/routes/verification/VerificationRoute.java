package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import org.apache.camel.builder.RouteBuilder;

/**
 * The product's main flow: a stable series from the DICOM node is verified (CT) or kept as a plan
 * source (RT objects). Runs in the node's delivery call: when the verifier fails, the exception
 * travels back and the node delivers the event again later, so a crash or an outage of the
 * database never loses a study; the verifier makes the repeat harmless.
 */
public final class VerificationRoute extends RouteBuilder {

  public static final String ENDPOINT = "direct:series-verification";
  public static final String ROUTE_ID = "series-verification";

  private final SeriesVerifier verifier;

  public VerificationRoute(SeriesVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void configure() {
    from(ENDPOINT)
        .routeId(ROUTE_ID)
        .routeDescription("Verify a post-operative CT against its implant, or keep an RT object as a plan")
        .process(exchange -> verifier.onSeriesStable(exchange.getMessage().getMandatoryBody(SeriesStableEvent.class)));
  }
}
