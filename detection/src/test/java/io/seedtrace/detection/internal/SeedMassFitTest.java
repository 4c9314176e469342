package io.seedtrace.detection.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeedMassFitTest {

  private static final double L = 4.5;
  private static final double BLUR = 0.75;
  private static final double SHORTEST = L * L / 12 + BLUR + 2.0;
  private static final double SEED = 50_000;

  /** Variance along a chain of n seeds at pitch s, with the blur. */
  private static double chain(int n, double pitch) {
    return pitch * pitch * (n * n - 1) / 12 + L * L / 12 + BLUR;
  }

  @Test
  void strandsMergedIntoChainsOfFourAreReadAsFourSeedsEach() {
    Random random = new Random(4);
    int objects = 40;
    double[] masses = new double[objects];
    double[] variances = new double[objects];
    for (int o = 0; o < objects; o++) {
      int n = o < 3 ? 1 : 4; // a few lone seeds, most in chains of four at 5.5 mm
      masses[o] = n * SEED * (1 + 0.05 * random.nextGaussian());
      variances[o] = n == 1 ? L * L / 12 + BLUR : chain(n, 5.5) * (1 + 0.05 * random.nextGaussian());
    }
    // the commonest mass is a chain's
    double fitted = SeedMassFit.best(masses, variances, SHORTEST, BLUR, L, 4 * SEED);
    assertThat(fitted).isCloseTo(SEED, within(0.1 * SEED));
  }

  @Test
  void chainsOfVariousLengthsWithoutLoneSeeds() {
    int[] counts = {2, 3, 3, 4, 5, 2, 3, 4, 4, 3};
    double[] masses = new double[counts.length];
    double[] variances = new double[counts.length];
    for (int o = 0; o < counts.length; o++) {
      masses[o] = counts[o] * SEED;
      variances[o] = chain(counts[o], 5.5);
    }
    double fitted = SeedMassFit.best(masses, variances, SHORTEST, BLUR, L, 3 * SEED);
    assertThat(fitted).isCloseTo(SEED, within(0.05 * SEED));
  }

  @Test
  void loneSeedsKeepTheirMassAndAreNotHalved() {
    Random random = new Random(7);
    double[] masses = new double[30];
    double[] variances = new double[30];
    for (int o = 0; o < masses.length; o++) {
      int n = o % 10 == 0 ? 2 : 1; // now and then two end to end at 10 mm
      masses[o] = n * SEED * (1 + 0.05 * random.nextGaussian());
      variances[o] = chain(n, 10);
    }
    assertThat(SeedMassFit.best(masses, variances, SHORTEST, BLUR, L, SEED)).isCloseTo(SEED, within(0.05 * SEED));
  }

  @Test
  void manyObjectsAreScoredWithinBoundedWork() {
    int objects = 200_000;
    double[] masses = new double[objects];
    double[] variances = new double[objects];
    for (int o = 0; o < objects; o++) {
      masses[o] = SEED * (1 + o % 7);
      variances[o] = 1000 + o % 13;
    }
    long t0 = System.nanoTime();
    SeedMassFit.best(masses, variances, SHORTEST, BLUR, L, SEED);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
  }
}
