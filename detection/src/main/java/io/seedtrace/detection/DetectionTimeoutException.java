package io.seedtrace.detection;

import java.time.Duration;

/** A detection ran past its time budget and was stopped. */
public final class DetectionTimeoutException extends Exception {

  public DetectionTimeoutException(Duration budget) {
    super("seed detection did not complete within " + budget.toMillis() + " ms and was stopped");
  }
}
