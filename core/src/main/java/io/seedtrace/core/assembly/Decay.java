package io.seedtrace.core.assembly;

import java.time.Duration;
import java.time.Instant;

/** Radioactive decay of I-125 (half-life 59.4 days): A(t) = A0 * 2^(-t / T1/2). */
public final class Decay {

  public static final Duration I125_HALF_LIFE = Duration.ofSeconds(Math.round(59.4 * 86400));

  private Decay() {}

  /**
   * Activity at {@code at} of a source that had {@code activityAtCalibration} at {@code calibration};
   * works in both directions of time.
   */
  public static double activityAt(double activityAtCalibration, Instant calibration, Instant at) {
    double elapsedSeconds = Duration.between(calibration, at).toMillis() / 1000.0;
    return activityAtCalibration * Math.pow(2, -elapsedSeconds / I125_HALF_LIFE.getSeconds());
  }
}
