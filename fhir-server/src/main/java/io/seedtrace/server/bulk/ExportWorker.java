package io.seedtrace.server.bulk;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of the exports: every {@code pollInterval} (and at once after a kick-off here)
 * it deletes expired exports and claims waiting ones, as many as it has free workers, from the
 * database all nodes share ({@link ExportJobs}); a node that dies mid-export leaves a lease that runs
 * out, after which any node starts that export again.
 */
public final class ExportWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);

  private final ExportJobs jobs;
  private final ExportRunner runner;
  private final BulkExportProperties properties;
  private final Clock clock;
  private final String node = UUID.randomUUID().toString();
  private final AtomicInteger busy = new AtomicInteger();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("bulk-export-poll"));
  private final ExecutorService workers;
  private volatile boolean closing;

  ExportWorker(ExportJobs jobs, ExportRunner runner, BulkExportProperties properties, Clock clock) {
    this.jobs = jobs;
    this.runner = runner;
    this.properties = properties;
    this.clock = clock;
    this.workers = Executors.newFixedThreadPool(properties.workers(), daemon("bulk-export"));
    long period = properties.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Accepts a kicked-off export: stores it for whichever node claims it first and looks for work at
   * once. Refused (false, nothing kept) when its client already has
   * {@link BulkExportProperties#maxActivePerClient()} exports waiting or running.
   */
  public boolean submit(ExportJob job) {
    jobs.insert(job);
    // counted after the insert, so of two kick-offs at once on two nodes at least one sees both
    if (jobs.activeCount(job.clientId()) > properties.maxActivePerClient()) {
      jobs.delete(job.id());
      return false;
    }
    kick();
    return true;
  }

  /** Looks for work now rather than at the next poll (after a kick-off, or when a worker is free). */
  public void kick() {
    if (!poller.isShutdown()) {
      poller.execute(this::poll);
    }
  }

  private void poll() {
    try {
      int expired = jobs.deleteExpired(clock.instant());
      if (expired > 0) {
        LOG.info("deleted {} expired bulk export(s)", expired);
      }
      while (busy.get() < properties.workers()) {
        Instant now = clock.instant();
        Optional<ExportJob> claimed = jobs.claimNext(node, now, now.plus(properties.lease()));
        if (claimed.isEmpty()) {
          return;
        }
        busy.incrementAndGet();
        workers.execute(() -> runClaimed(claimed.get()));
      }
    } catch (RuntimeException e) {
      LOG.warn("bulk export poll failed: {}", e.toString());
    }
  }

  private void runClaimed(ExportJob job) {
    try {
      boolean done = runner.run(job, node);
      Instant expires = clock.instant().plus(properties.retention());
      if (done && jobs.finish(job.id(), node, ExportJob.Status.COMPLETED, expires, null)) {
        LOG.info("bulk export {} of {} completed", job.id(), job.clientId());
      } else {
        jobs.abandon(job.id());
        LOG.info("bulk export {} of {} stopped: deleted or taken over by another node", job.id(), job.clientId());
      }
    } catch (ExportRunner.TooLong e) {
      LOG.warn("bulk export {} of {} stopped: {}", job.id(), job.clientId(), e.getMessage());
      jobs.finish(job.id(), node, ExportJob.Status.FAILED, clock.instant().plus(properties.retention()), e.getMessage());
    } catch (RuntimeException e) {
      if (closing) {
        LOG.info("bulk export {} interrupted by shutdown; another node (or this one after a restart) runs it again"
            + " when its lease runs out", job.id());
        return;
      }
      String incident = UUID.randomUUID().toString();
      LOG.error("bulk export {} failed: incident {}", job.id(), incident, e);
      jobs.finish(job.id(), node, ExportJob.Status.FAILED, clock.instant().plus(properties.retention()),
          "the export failed; incident " + incident);
    } finally {
      busy.decrementAndGet();
      kick();
    }
  }

  @Override
  public void close() {
    closing = true;
    poller.shutdownNow();
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
