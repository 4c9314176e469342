package io.seedtrace.core.assembly;

import java.time.Instant;

/**
 * What a procedure needs: the seed model, the activity per seed at implant time with a relative
 * tolerance, and how many seeds.
 *
 * @param tolerance relative, e.g. 0.05 for +-5 %
 */
public record SeedRequirement(String model, double activityPerSeedMbq, double tolerance, int seeds, Instant implantTime) {

  public SeedRequirement {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model is required");
    }
    if (!(activityPerSeedMbq > 0)) {
      throw new IllegalArgumentException("activity per seed must be positive");
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance must be in [0, 1)");
    }
    if (seeds < 1) {
      throw new IllegalArgumentException("at least one seed is required");
    }
  }
}
