package io.seedtrace.routes.pull;

import io.seedtrace.routes.cluster.ClusterJobEndpoint;
import io.seedtrace.routes.cluster.ClusterLock;
import org.apache.camel.builder.RouteBuilder;

/**
 * The pull rule as a route: every poll period one {@link PullRound} runs (never two at once on a
 * node; nodes share the work through the ledger), on one node of the cluster at a time: the one
 * holding the lease {@value #ROUTE_ID} of the cluster lock. Shows as {@value #ROUTE_ID} in the console.
 */
public final class CtPullRoute extends RouteBuilder {

  public static final String ROUTE_ID = "dicom-ct-pull";

  private final PullRound round;
  private final long periodMillis;
  private final ClusterLock lock;

  public CtPullRoute(PullRound round, long periodMillis, ClusterLock lock) {
    this.round = round;
    this.periodMillis = periodMillis;
    this.lock = lock;
  }

  @Override
  public void configure() {
    from(ClusterJobEndpoint.oncePerCluster(getContext(), ROUTE_ID, Math.min(periodMillis, 5000), periodMillis, lock))
        .routeId(ROUTE_ID)
        .routeDescription("Pulls the post-implant CT from the PACS (C-FIND, C-MOVE) when an implant has no"
            + " verification after its deadline")
        .process(exchange -> round.run());
  }
}
