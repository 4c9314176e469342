package io.seedtrace.detection.internal;

/**
 * Weighted k-means on 3-D points with deterministic farthest-point initialisation; used to split a
 * cluster of touching seeds into one group of voxels per seed.
 */
public final class KMeans {

  private KMeans() {}

  /** The cluster index of each point. */
  public static int[] assign(double[][] points, double[] weights, int k) {
    int n = points.length;
    double[][] centres = new double[k][];
    double[] c0 = new double[3];
    double sw = 0;
    for (int p = 0; p < n; p++) {
      for (int a = 0; a < 3; a++) {
        c0[a] += weights[p] * points[p][a];
      }
      sw += weights[p];
    }
    for (int a = 0; a < 3; a++) {
      c0[a] /= sw;
    }
    centres[0] = farthestFrom(points, new double[][] {c0}, 1);
    for (int c = 1; c < k; c++) {
      centres[c] = farthestFrom(points, centres, c);
    }
    int[] label = new int[n];
    for (int iter = 0; iter < 30; iter++) {
      boolean changed = false;
      for (int p = 0; p < n; p++) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int c = 0; c < k; c++) {
          double d = dist2(points[p], centres[c]);
          if (d < bestD) {
            bestD = d;
            best = c;
          }
        }
        if (label[p] != best || iter == 0) {
          changed |= label[p] != best;
          label[p] = best;
        }
      }
      double[][] sums = new double[k][3];
      double[] ws = new double[k];
      for (int p = 0; p < n; p++) {
        for (int a = 0; a < 3; a++) {
          sums[label[p]][a] += weights[p] * points[p][a];
        }
        ws[label[p]] += weights[p];
      }
      for (int c = 0; c < k; c++) {
        if (ws[c] > 0) {
          for (int a = 0; a < 3; a++) {
            centres[c][a] = sums[c][a] / ws[c];
          }
        }
      }
      if (!changed && iter > 0) {
        break;
      }
    }
    return label;
  }

  private static double[] farthestFrom(double[][] points, double[][] chosen, int count) {
    double best = -1;
    double[] pick = points[0];
    for (double[] p : points) {
      double nearest = Double.MAX_VALUE;
      for (int c = 0; c < count; c++) {
        nearest = Math.min(nearest, dist2(p, chosen[c]));
      }
      if (nearest > best) {
        best = nearest;
        pick = p;
      }
    }
    return pick.clone();
  }

  private static double dist2(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
  }

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
