package io.seedtrace.routes.health;

import io.seedtrace.routes.cluster.ClusterJobEndpoint;
import io.seedtrace.routes.cluster.ClusterLock;
import org.apache.camel.builder.RouteBuilder;

/**
 * Ticks every {@code seedtrace.heartbeat.period-ms} milliseconds and records a beat, so the health
 * endpoint can tell that Camel is routing. The route id {@code heartbeat} shows in the console. It
 * runs once per cluster: on the node holding the lease {@value #ROUTE_ID} of the cluster lock; the
 * other nodes' health reads that lease.
 */
public final class HeartbeatRoute extends RouteBuilder {

  public static final String ROUTE_ID = "heartbeat";

  private final Heartbeat heartbeat;
  private final ClusterLock lock;

  public HeartbeatRoute(Heartbeat heartbeat, ClusterLock lock) {
    this.heartbeat = heartbeat;
    this.lock = lock;
  }

  @Override
  public void configure() {
    long period = Long.parseLong(getContext().resolvePropertyPlaceholders("{{seedtrace.heartbeat.period-ms:10000}}"));
    from(ClusterJobEndpoint.oncePerCluster(getContext(), ROUTE_ID, 0, period, lock))
        .routeId(ROUTE_ID)
        .routeDescription("Records that the integration hub is routing; read by /actuator/health")
        .process(exchange -> heartbeat.beat());
  }
}
