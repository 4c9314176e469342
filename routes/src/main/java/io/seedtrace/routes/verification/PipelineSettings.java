package io.seedtrace.routes.verification;

import io.seedtrace.detection.plan.PositionSettings;
import java.time.Duration;

/**
 * How the verification pipeline runs.
 *
 * @param enabled false: series events are ignored (nothing is queued or verified)
 * @param concurrency studies verified at the same time on this node (at least 1)
 * @param pollPeriod how often the node looks for due studies in the queue and renews its leases
 * @param redeliveries how often a failed step is tried again at once before the attempt fails
 * @param redeliveryDelay the pause before the first redelivery of a step; it doubles each time
 * @param detectionBudget a seed detection running longer is stopped; the study is reported as not verified
 * @param positions how planned and detected positions are compared
 */
public record PipelineSettings(boolean enabled, int concurrency, Duration pollPeriod, int redeliveries,
    Duration redeliveryDelay, Duration detectionBudget, PositionSettings positions) {

  public PipelineSettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("at least one study must be verified at a time, got " + concurrency);
    }
    if (redeliveries < 0 || pollPeriod.isNegative() || pollPeriod.isZero()) {
      throw new IllegalArgumentException("redeliveries must be >= 0 and the poll period positive, got "
          + redeliveries + " and " + pollPeriod);
    }
  }

  /** The number of studies verified at once when none is configured: the processors, at least two. */
  public static int defaultConcurrency() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }
}
