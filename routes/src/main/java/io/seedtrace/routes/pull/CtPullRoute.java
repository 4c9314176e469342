package io.seedtrace.routes.pull;

import org.apache.camel.builder.RouteBuilder;

/**
 * The pull rule as a route: every poll period one {@link PullRound} runs (never two at once on a
 * node; nodes share the work through the ledger). Shows as {@value #ROUTE_ID} in the console.
 */
public final class CtPullRoute extends RouteBuilder {

  public static final String ROUTE_ID = "dicom-ct-pull";

  private final PullRound round;
  private final long periodMillis;

  public CtPullRoute(PullRound round, long periodMillis) {
    this.round = round;
    this.periodMillis = periodMillis;
  }

  @Override
  public void configure() {
    from("timer:seedtrace-ct-pull?fixedRate=false&delay=" + Math.min(periodMillis, 5000) + "&period=" + periodMillis)
        .routeId(ROUTE_ID)
        .routeDescription("Pulls the post-implant CT from the PACS (C-FIND, C-MOVE) when an implant has no"
            + " verification after its deadline")
        .process(exchange -> round.run());
  }
}
