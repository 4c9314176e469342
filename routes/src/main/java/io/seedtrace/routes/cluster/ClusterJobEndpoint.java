package io.seedtrace.routes.cluster;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint {@code cluster-job://<job>} of a periodic job that runs once per cluster: every
 * period each node's consumer tries to take or renew the job's lease ({@link ClusterLock}) and
 * makes one exchange only when it holds it, so the job's route counts the rounds this node ran and
 * nothing on the standby nodes. The lease lasts {@code max(seedtrace.cluster.lease, 3 x period)}:
 * the holder renews it every round, and a round must end within it. A node whose route stops gives
 * the lease up; one that dies loses it when it runs out.
 *
 * <pre>{@code
 * from(ClusterJobEndpoint.oncePerCluster(getContext(), "heartbeat", 0, 10_000, lock)).routeId("heartbeat")...
 * }</pre>
 */
public final class ClusterJobEndpoint extends DefaultEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterJobEndpoint.class);

  /** The component the job endpoints belong to; they are made by code, not by URI. */
  public static final class JobComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
      throw new IllegalArgumentException("cluster jobs are made by their routes, not by URI: " + uri);
    }
  }

  private final String job;
  private final ClusterLock clusterLock;
  private final long initialDelayMs;
  private final long periodMs;
  private final Duration lease;

  private ClusterJobEndpoint(String job, JobComponent component, ClusterLock lock, long initialDelayMs,
      long periodMs) {
    super("cluster-job://" + job, component);
    if (periodMs <= 0 || initialDelayMs < 0) {
      throw new IllegalArgumentException("job " + job + " needs a positive period and no negative delay, got "
          + periodMs + " ms and " + initialDelayMs + " ms");
    }
    this.job = job;
    this.clusterLock = lock;
    this.initialDelayMs = initialDelayMs;
    this.periodMs = periodMs;
    Duration threePeriods = Duration.ofMillis(3 * periodMs);
    this.lease = threePeriods.compareTo(lock.lease()) > 0 ? threePeriods : lock.lease();
  }

  /** The endpoint of job {@code job} in {@code camel}: a round every {@code periodMs} on the node holding its lease. */
  public static ClusterJobEndpoint oncePerCluster(CamelContext camel, String job, long initialDelayMs, long periodMs,
      ClusterLock lock) {
    JobComponent component;
    if (camel.hasComponent("cluster-job") instanceof JobComponent existing) {
      component = existing;
    } else {
      component = new JobComponent();
      camel.addComponent("cluster-job", component);
    }
    return new ClusterJobEndpoint(job, component, lock, initialDelayMs, periodMs);
  }

  /** How long a round's lease lasts. */
  public Duration lease() {
    return lease;
  }

  @Override
  public Producer createProducer() {
    throw new UnsupportedOperationException(getEndpointUri() + " only starts rounds");
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    RoundConsumer consumer = new RoundConsumer(this, processor);
    consumer.setInitialDelay(initialDelayMs);
    consumer.setDelay(periodMs);
    configureConsumer(consumer);
    return consumer;
  }

  @Override
  public boolean isSingleton() {
    return true;
  }

  /** One exchange per period, on the node holding the lease only. */
  private final class RoundConsumer extends ScheduledPollConsumer {

    RoundConsumer(Endpoint endpoint, Processor processor) {
      super(endpoint, processor);
    }

    @Override
    protected int poll() throws Exception {
      if (!clusterLock.hold(job, lease)) {
        return 0;
      }
      Exchange exchange = createExchange(true);
      try {
        getProcessor().process(exchange);
      } catch (Exception e) {
        exchange.setException(e);
      }
      if (exchange.getException() != null) {
        getExceptionHandler().handleException("round of " + job + " failed", exchange, exchange.getException());
      }
      releaseExchange(exchange, false);
      return 1;
    }

    @Override
    protected void doStop() throws Exception {
      super.doStop();
      try {
        clusterLock.release(job);
      } catch (IllegalStateException e) {
        LOG.warn("{}: lease not given up ({}); another node takes over when it runs out", job, e.getMessage());
      }
    }
  }
}
