package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;

/**
 * The image noise of a scan (standard deviation, HU), from the median absolute difference of
 * horizontally adjacent voxels in soft tissue and lung (air and metal are left out). Edges between
 * tissues are rare among the samples, so the median ignores them.
 */
public final class NoiseLevel {

  private static final int MAX_SAMPLES = 400_000;

  private NoiseLevel() {}

  public static double of(CtScan scan) {
    short[] hu = scan.hu();
    int nx = scan.nx();
    long stride = Math.max(1, hu.length / MAX_SAMPLES) | 1;
    int[] histogram = new int[2048];
    int n = 0;
    for (long p = 0; p < hu.length - 1; p += stride) {
      int v = (int) p;
      if ((v + 1) % nx == 0) {
        continue;
      }
      int a = hu[v];
      int b = hu[v + 1];
      if (a < -950 || b < -950 || a > 400 || b > 400) {
        continue;
      }
      histogram[Math.min(2047, Math.abs(a - b))]++;
      n++;
    }
    if (n == 0) {
      return 10;
    }
    int half = (n + 1) / 2;
    int seen = 0;
    for (int d = 0; d < histogram.length; d++) {
      seen += histogram[d];
      if (seen >= half) {
        // |a - b| has median 0.6745 * sqrt(2) * sigma for Gaussian noise
        return Math.max(1, (d + 0.5) / (0.6745 * Math.sqrt(2)));
      }
    }
    return 10;
  }
}
