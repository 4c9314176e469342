package io.seedtrace.detection.internal;

/**
 * Chooses one seed's mass so that every object of the scan reads as a whole number of seeds laid
 * out as seeds can be. A scan whose seeds lie on needles in strands (seeds end to end, a spacer
 * between) shows most of them merged into chains when its slices are thicker than the gaps: the
 * commonest mass is then a chain's, not a seed's. Mass alone cannot tell one seed of mass m from
 * two of m/2; the layout can. A chain of n seeds of length L at pitch s along its axis has the
 * variance s^2 (n^2 - 1) / 12 + L^2 / 12 (plus the blur) along it, and seeds end to end cannot
 * lie closer than their length (s >= L). So each candidate mass m is scored over the objects:
 *
 * <ul>
 *   <li>how far mass / m is from a whole number n, over sqrt(n) (n seeds' masses scatter that
 *       much more than one seed's);
 *   <li>for an object longer than one seed: read as one seed, or as n seeds closer than their
 *       length, it does not fit ({@value #MISFIT});
 *   <li>for an object no longer than one seed read as several: seeds side by side happen, but
 *       not for most objects ({@value #SIDE_BY_SIDE}).
 * </ul>
 *
 * The candidates are the mass the scan's commonest objects suggest and each chain's mass divided
 * by 2 to {@value #MAX_PER_CHAIN}; the best mean score wins, the first candidate on a tie. Work is
 * bounded: at most {@value #MAX_OBJECTS} objects are scored, against at most {@value
 * #MAX_CANDIDATES} candidates.
 */
public final class SeedMassFit {

  /** Score of an object that cannot be read as seeds laid out that way. */
  static final double MISFIT = 0.5;
  /** Score of a short object read as seeds side by side. */
  static final double SIDE_BY_SIDE = 0.2;
  /** Most seeds per chain tried as a candidate divisor. */
  static final int MAX_PER_CHAIN = 8;
  static final int MAX_OBJECTS = 1000;
  static final int MAX_CANDIDATES = 400;
  /** A chain's pitch may come out this much shorter than a seed (the blur is only estimated). */
  private static final double PITCH_TOLERANCE = 0.85;

  private SeedMassFit() {}

  /**
   * The best single-seed mass.
   *
   * @param masses the objects' masses (HU x mm3)
   * @param lengthVariances each object's variance (mm2) along its longest axis
   * @param shortest the largest such variance one seed shows on this scan (seed, slice and blur)
   * @param blurVariance the part of a variance that is blur, not seeds (mm2)
   * @param seedLengthMm a seed's length
   * @param first the mass suggested by the commonest objects (kept on a tie)
   */
  public static double best(double[] masses, double[] lengthVariances, double shortest, double blurVariance,
      double seedLengthMm, double first) {
    int step = Math.max(1, masses.length / MAX_OBJECTS);
    double[] candidates = new double[MAX_CANDIDATES];
    int nc = 0;
    candidates[nc++] = first;
    int chains = 0;
    for (int o = 0; o < masses.length; o++) {
      if (lengthVariances[o] > shortest) {
        chains++;
      }
    }
    int chainStep = Math.max(1, chains * (MAX_PER_CHAIN - 1) / (MAX_CANDIDATES - 1) + 1);
    int seen = 0;
    for (int o = 0; o < masses.length && nc < MAX_CANDIDATES; o++) {
      if (lengthVariances[o] > shortest && seen++ % chainStep == 0) {
        for (int k = 2; k <= MAX_PER_CHAIN && nc < MAX_CANDIDATES; k++) {
          candidates[nc++] = masses[o] / k;
        }
      }
    }
    double best = first;
    double bestScore = score(first, masses, lengthVariances, shortest, blurVariance, seedLengthMm, step);
    for (int c = 1; c < nc; c++) {
      double s = score(candidates[c], masses, lengthVariances, shortest, blurVariance, seedLengthMm, step);
      if (s < bestScore - 1e-9) {
        bestScore = s;
        best = candidates[c];
      }
    }
    return best;
  }

  private static double score(double m, double[] masses, double[] lengthVariances, double shortest,
      double blurVariance, double seedLengthMm, int step) {
    double total = 0;
    int counted = 0;
    double leastPitch2 = PITCH_TOLERANCE * PITCH_TOLERANCE * seedLengthMm * seedLengthMm;
    for (int o = 0; o < masses.length; o += step) {
      double ratio = masses[o] / m;
      long n = Math.max(1, Math.round(ratio));
      // the mass of n seeds scatters about sqrt(n) times one seed's
      double s = Math.min(MISFIT, Math.abs(ratio - n) / Math.sqrt(n));
      if (lengthVariances[o] > shortest) {
        double pitch2 = 12 * (lengthVariances[o] - seedLengthMm * seedLengthMm / 12 - blurVariance)
            / Math.max(1, n * n - 1);
        if (n == 1 || pitch2 < leastPitch2) {
          s = MISFIT;
        }
      } else if (n > 1) {
        s = Math.max(s, SIDE_BY_SIDE);
      }
      total += s;
      counted++;
    }
    return counted == 0 ? Double.MAX_VALUE : total / counted;
  }
}
