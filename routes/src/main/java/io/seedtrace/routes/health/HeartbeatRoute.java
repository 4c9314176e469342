package io.seedtrace.routes.health;

import org.apache.camel.builder.RouteBuilder;

/**
 * Ticks every {@code seedtrace.heartbeat.period-ms} milliseconds and records a beat, so the health
 * endpoint can tell that Camel is routing. The route id {@code heartbeat} shows in the console.
 */
public final class HeartbeatRoute extends RouteBuilder {

  public static final String ROUTE_ID = "heartbeat";

  private final Heartbeat heartbeat;

  public HeartbeatRoute(Heartbeat heartbeat) {
    this.heartbeat = heartbeat;
  }

  @Override
  public void configure() {
    from("timer:seedtrace-heartbeat?period={{seedtrace.heartbeat.period-ms:10000}}&delay=0")
        .routeId(ROUTE_ID)
        .routeDescription("Records that the integration hub is routing; read by /actuator/health")
        .process(exchange -> heartbeat.beat());
  }
}
