package io.seedtrace.detection.fusion;

import java.time.Duration;
import java.util.Arrays;

/**
 * The bounds and resolution of a {@link MutualInformationRegistration}.
 *
 * @param levelSpacingsMm voxel size of each resolution level, coarse to fine; each level averages
 *     blocks of the CT and the MR to about this size (never finer than the scans themselves)
 * @param maxSamplesPerLevel CT voxels drawn per level (at random, the same for the whole level);
 *     the cost of one evaluation of the measure is proportional to it
 * @param bins histogram bins per intensity axis
 * @param budget wall-clock time after which the registration stops with an error
 * @param seed of the sample draw, so that a registration is repeatable
 */
public record FusionSettings(double[] levelSpacingsMm, int maxSamplesPerLevel, int bins, Duration budget, long seed) {

  public FusionSettings {
    if (levelSpacingsMm == null || levelSpacingsMm.length == 0
        || Arrays.stream(levelSpacingsMm).anyMatch(s -> !(s > 0))) {
      throw new IllegalArgumentException("at least one level with a positive voxel size is needed");
    }
    if (maxSamplesPerLevel < 1000 || bins < 8 || bins > 256) {
      throw new IllegalArgumentException("need >= 1000 samples per level and 8..256 bins");
    }
    if (budget == null || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the time budget must be positive");
    }
    levelSpacingsMm = levelSpacingsMm.clone();
  }

  /** Levels of 8, 4, 2 and 1 mm, 50,000 samples per level, 32 bins, 60 s. */
  public static FusionSettings defaults() {
    return new FusionSettings(new double[] {8, 4, 2, 1}, 50_000, 32, Duration.ofSeconds(60), 20261207L);
  }

  public FusionSettings withBudget(Duration newBudget) {
    return new FusionSettings(levelSpacingsMm, maxSamplesPerLevel, bins, newBudget, seed);
  }

  @Override
  public double[] levelSpacingsMm() {
    return levelSpacingsMm.clone();
  }
}
