package io.seedtrace.detection.internal;

/**
 * Refines the centres of the n seeds of one object in three dimensions. Splitting along an
 * object's axis places seeds well on a straight chain; seeds of a cluster, of a bent strand or of
 * two chains touching at an angle lie off that axis, and their centres come out between seeds.
 * Here each seed is a component of equal weight and fixed spread, and expectation-maximisation
 * moves the centres to where the object's metal is: each voxel counts with its contrast squared,
 * so a seed's dense core weighs far more than the halo between seeds.
 *
 * <p>Bounded: at most {@value #MAX_POINTS} voxels (the strongest are kept) and {@value
 * #ITERATIONS} iterations, so at most MAX_POINTS x n x ITERATIONS steps.
 */
public final class SpatialMixture {

  static final int MAX_POINTS = 6000;
  static final int ITERATIONS = 30;

  private SpatialMixture() {}

  /**
   * The refined centres (mm), in the order of {@code start}; {@code start} itself when the
   * refinement is not trusted (two seeds ending on one place, or a seed moving further than
   * {@code maxShiftMm}).
   */
  public static double[][] refine(double[][] points, double[] contrasts, double[][] start, double variance,
      double maxShiftMm) {
    int k = start.length;
    int[] kept = strongest(contrasts, MAX_POINTS);
    double[][] centres = new double[k][];
    for (int c = 0; c < k; c++) {
      centres[c] = start[c].clone();
    }
    double[] logShare = new double[k];
    for (int iter = 0; iter < ITERATIONS; iter++) {
      if (Thread.currentThread().isInterrupted()) {
        return start;
      }
      double[][] sum = new double[k][3];
      double[] mass = new double[k];
      for (int p : kept) {
        double w = contrasts[p] * contrasts[p];
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          logShare[c] = -distance2(points[p], centres[c]) / (2 * variance);
          best = Math.max(best, logShare[c]);
        }
        double norm = 0;
        for (int c = 0; c < k; c++) {
          logShare[c] = Math.exp(logShare[c] - best);
          norm += logShare[c];
        }
        for (int c = 0; c < k; c++) {
          double r = w * logShare[c] / norm;
          mass[c] += r;
          for (int a = 0; a < 3; a++) {
            sum[c][a] += r * points[p][a];
          }
        }
      }
      for (int c = 0; c < k; c++) {
        if (mass[c] > 0) {
          for (int a = 0; a < 3; a++) {
            centres[c][a] = sum[c][a] / mass[c];
          }
        }
      }
    }
    return trusted(start, centres, maxShiftMm) ? centres : start;
  }

  private static boolean trusted(double[][] start, double[][] centres, double maxShiftMm) {
    double apart2 = 1.0;
    for (int c = 0; c < centres.length; c++) {
      if (distance2(start[c], centres[c]) > maxShiftMm * maxShiftMm) {
        return false;
      }
      for (int d = c + 1; d < centres.length; d++) {
        if (distance2(centres[c], centres[d]) < apart2 && distance2(start[c], start[d]) >= apart2) {
          return false;
        }
      }
    }
    return true;
  }

  /** Indices of the {@code limit} largest values (all when fewer), by a threshold on a sorted copy. */
  static int[] strongest(double[] values, int limit) {
    if (values.length <= limit) {
      int[] all = new int[values.length];
      for (int p = 0; p < all.length; p++) {
        all[p] = p;
      }
      return all;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double threshold = sorted[sorted.length - limit];
    int[] kept = new int[limit];
    int n = 0;
    for (int p = 0; p < values.length && n < limit; p++) {
      if (values[p] >= threshold) {
        kept[n++] = p;
      }
    }
    return java.util.Arrays.copyOf(kept, n);
  }

  private static double distance2(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
  }
}
