package io.seedtrace.detection.internal;

/**
 * Weighted k-means of positions along a line, deterministic; splits a chain of seeds (end to end,
 * or merged along a needle) into one group of voxels per seed.
 */
public final class KMeans {

  private KMeans() {}

  /**
   * Weighted k-means of positions on a line, started at the weighted quantiles (c + 0.5) / k: the
   * cluster index (in order along the line) of each position.
   */
  public static int[] alongLine(double[] t, double[] weights, int k) {
    int n = t.length;
    Integer[] order = new Integer[n];
    double total = 0;
    for (int p = 0; p < n; p++) {
      order[p] = p;
      total += weights[p];
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
    double[] centres = new double[k];
    double seen = 0;
    int c = 0;
    for (int q = 0; q < n && c < k; q++) {
      seen += weights[order[q]];
      while (c < k && seen >= (c + 0.5) / k * total) {
        centres[c++] = t[order[q]];
      }
    }
    int[] label = new int[n];
    for (int iter = 0; iter < 50; iter++) {
      double[] sum = new double[k];
      double[] sw = new double[k];
      boolean changed = false;
      for (int p = 0; p < n; p++) {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (Math.abs(t[p] - centres[j]) < Math.abs(t[p] - centres[best])) {
            best = j;
          }
        }
        changed |= label[p] != best;
        label[p] = best;
        sum[best] += weights[p] * t[p];
        sw[best] += weights[p];
      }
      for (int j = 0; j < k; j++) {
        if (sw[j] > 0) {
          centres[j] = sum[j] / sw[j];
        }
      }
      if (!changed && iter > 0) {
        break;
      }
    }
    return label;
  }
}
