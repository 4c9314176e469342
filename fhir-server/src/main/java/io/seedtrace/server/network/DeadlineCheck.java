package io.seedtrace.server.network;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the authority's {@link SourceLedger#checkDeadlines()} every {@code period} on a daemon
 * thread of its own, from start until {@link #close()}; a failed run is logged and the next one
 * tries again.
 */
public final class DeadlineCheck implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineCheck.class);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "authority-deadline-check");
    t.setDaemon(true);
    return t;
  });

  public DeadlineCheck(SourceLedger ledger, Duration period) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        ledger.checkDeadlines();
      } catch (RuntimeException e) {
        LOG.error("the authority's deadline check failed; next try in {}", period, e);
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
