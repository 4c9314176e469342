package io.seedtrace.routes.outbox;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an outbox's delivery pass in the background when asked, so that a new message goes out at
 * once instead of at the next poll (the poll stays for the retries). Requests that arrive while a
 * pass is waiting to start are merged into it; each outbox has one daemon thread for this.
 */
final class DeliveryKick implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryKick.class);

  private final ExecutorService thread;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final String what;
  private final Runnable pass;

  /**
   * @param threadName the background thread's name
   * @param what what the pass delivers, for the warning when it fails
   * @param pass one delivery pass over what is due
   */
  DeliveryKick(String threadName, String what, Runnable pass) {
    this.what = what;
    this.pass = pass;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts a delivery pass in the background unless one is already waiting to start. */
  public void kick() {
    if (!thread.isShutdown() && pending.compareAndSet(false, true)) {
      thread.execute(() -> {
        pending.set(false);
        try {
          pass.run();
        } catch (RuntimeException e) {
          LOG.warn("{} failed: {}", what, e.getMessage());
        }
      });
    }
  }

  /** Stops the background thread; a pass under way is interrupted. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
