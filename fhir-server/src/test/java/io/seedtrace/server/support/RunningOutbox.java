package io.seedtrace.server.support;

import io.seedtrace.routes.outbox.Outbox;
import io.seedtrace.routes.outbox.OutboxConsumer;
import io.seedtrace.routes.outbox.OutboxDeliveryRoute;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * An outbox driven by its delivery routes in a Camel context of its own, as a node runs it: the
 * consumer polls every {@code periodMs} and the outbox's {@code kick()} delivers at once. Tests read
 * the routes' statistics as the console shows them, and can run one pass on their own thread.
 */
public final class RunningOutbox implements AutoCloseable {

  private final CamelContext camel;
  private final String routeId;

  private RunningOutbox(CamelContext camel, String routeId) {
    this.camel = camel;
    this.routeId = routeId;
  }

  /** Starts the routes of {@code outbox} as {@code routeId}, polling every {@code periodMs}. */
  public static <M extends Outbox.Held> RunningOutbox start(String routeId, Outbox<M> outbox, long periodMs) {
    try {
      CamelContext camel = new DefaultCamelContext();
      camel.addRoutes(new OutboxDeliveryRoute<>(routeId, "test " + routeId, outbox, periodMs));
      camel.start();
      return new RunningOutbox(camel, routeId);
    } catch (Exception e) {
      throw new IllegalStateException("the routes of " + routeId + " did not start", e);
    }
  }

  /** One delivery pass on the calling thread, as the poll makes it; returns how many messages were delivered. */
  public int deliverDue() {
    return ((OutboxConsumer<?>) camel.getRoute(routeId).getConsumer()).deliverDue();
  }

  /** The statistics of the delivery route ({@code ""}) or of its {@code "-retry"} or {@code "-dead-letter"} route. */
  public ManagedRouteMBean route(String suffix) {
    ManagedRouteMBean route = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
        .getManagedRoute(routeId + suffix);
    if (route == null) {
      throw new IllegalStateException("no managed route " + routeId + suffix + " (is camel-management on the classpath?)");
    }
    return route;
  }

  @Override
  public void close() {
    camel.stop();
  }
}
