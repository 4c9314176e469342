package io.seedtrace.detection.plan;

/**
 * Tuning of the position verification; docs/verification.md explains the defaults.
 *
 * @param toleranceMm a matched seed displaced by more than this raises an alarm; a displacement of
 *     twice this contributes nothing to the score
 * @param scoreThreshold a similarity score below this raises an alarm, in [0, 1]
 * @param maxPairDistanceMm planned and detected seeds farther apart than this are never paired
 * @param trimFraction share of nearest-neighbour pairs the registration keeps, in (0, 1]
 */
public record PositionSettings(double toleranceMm, double scoreThreshold, double maxPairDistanceMm,
    double trimFraction) {

  public PositionSettings {
    if (!(toleranceMm > 0) || Double.isInfinite(toleranceMm)) {
      throw new IllegalArgumentException("toleranceMm must be positive and finite");
    }
    if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
      throw new IllegalArgumentException("scoreThreshold must be in [0, 1]");
    }
    if (!(maxPairDistanceMm > 0) || Double.isInfinite(maxPairDistanceMm)) {
      throw new IllegalArgumentException("maxPairDistanceMm must be positive and finite");
    }
    if (!(trimFraction > 0 && trimFraction <= 1)) {
      throw new IllegalArgumentException("trimFraction must be in (0, 1]");
    }
  }

  /** 5 mm tolerance, score threshold 0.8, pairs up to 15 mm, 80 % of pairs kept in registration. */
  public static PositionSettings defaults() {
    return new PositionSettings(5.0, 0.8, SeedMatcher.DEFAULT_MAX_PAIR_DISTANCE_MM,
        PointSetRegistration.DEFAULT_TRIM_FRACTION);
  }
}
