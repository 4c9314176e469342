package io.seedtrace.detection;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SeedDetector} with a time budget: each detection runs on a worker thread of its own and
 * is stopped (interrupted) when it runs past the budget, so one study that cannot be measured never
 * holds up the studies after it. The detector itself ends in time bounded by the volume's size;
 * the budget guards the caller against anything that bound does not foresee.
 */
public final class BudgetedDetector {

  private static final AtomicInteger WORKERS = new AtomicInteger();

  private final SeedDetector detector;
  private final Duration budget;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "seed-detection-" + WORKERS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  public BudgetedDetector(SeedDetector detector, Duration budget) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the detection budget must be positive, got " + budget);
    }
    this.detector = detector;
    this.budget = budget;
  }

  /**
   * Detects the seeds of a scan within the budget.
   *
   * @throws DetectionTimeoutException when the budget ran out (the detection is stopped)
   * @throws UnusableScanException when the detector refuses the volume
   */
  public DetectionResult detect(CtScan scan)
      throws InterruptedException, UnusableScanException, DetectionTimeoutException {
    Future<DetectionResult> running = workers.submit(() -> detector.detect(scan));
    try {
      return running.get(budget.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException overrun) {
      running.cancel(true);
      throw new DetectionTimeoutException(budget);
    } catch (InterruptedException stopped) {
      running.cancel(true);
      throw stopped;
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      if (cause instanceof UnusableScanException unusable) {
        throw new UnusableScanException(unusable.getMessage());
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("seed detection failed", cause);
    }
  }

  public Duration budget() {
    return budget;
  }
}
