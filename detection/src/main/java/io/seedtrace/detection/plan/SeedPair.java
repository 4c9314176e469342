package io.seedtrace.detection.plan;

import java.util.Arrays;
import java.util.Locale;

/**
 * A planned seed and the detected seed assigned to it.
 *
 * @param planned index in the planned list
 * @param detected index in the detected list
 * @param displacement detected minus (registered) planned position, mm, in the CT's frame
 * @param distanceMm length of the displacement
 */
public record SeedPair(int planned, int detected, double[] displacement, double distanceMm) {

  public SeedPair {
    displacement = displacement.clone();
  }

  @Override
  public double[] displacement() {
    return displacement.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeedPair other && planned == other.planned && detected == other.detected
        && Arrays.equals(displacement, other.displacement)
        && Double.compare(distanceMm, other.distanceMm) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * planned + detected) + Double.hashCode(distanceMm);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SeedPair[planned %d, detected %d, %.2f mm]", planned, detected, distanceMm);
  }
}
