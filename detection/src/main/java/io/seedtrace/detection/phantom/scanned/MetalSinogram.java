package io.seedtrace.detection.phantom.scanned;

import java.util.Arrays;

/**
 * Metal path lengths (mm) per ray and metal for one sub-slice plane, with the range of detector
 * bins each view actually touches, so that clearing and reading cost only where metal is.
 *
 * <p>Each detector bin is split into {@value #SUB_BINS} sub-bins. A detector element averages the
 * <em>intensity</em> over its width, not the attenuation; across a sharp metal edge the two differ
 * greatly (the exponential edge-gradient effect), and the inconsistency this causes between views
 * is a main source of metal streaks. Sub-bin {@code q} of bin {@code k} is stored at
 * {@code SUB_BINS * k + q} and is centred at {@code u(k) + (q - 1) du / 3}.
 */
final class MetalSinogram {

  static final int SUB_BINS = 3;

  private final int rays;
  private final int bins;
  private final float[][] byMetal = new float[Metal.values().length][];
  final int[] lo;
  final int[] hi;

  MetalSinogram(ParallelBeam beam) {
    this.rays = beam.rays() * SUB_BINS;
    this.bins = beam.bins;
    this.lo = new int[beam.views];
    this.hi = new int[beam.views];
    reset();
  }

  /** The path lengths of one metal, or null if that metal is absent. */
  float[] get(int metal) {
    return byMetal[metal];
  }

  float[] of(int metal) {
    if (byMetal[metal] == null) {
      byMetal[metal] = new float[rays];
    }
    return byMetal[metal];
  }

  /** Widens each view's touched range to cover the projections of the given points. */
  void markAll(ParallelBeam beam, float[] x, float[] y, int n) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int e = 0; e < n; e++) {
      minX = Math.min(minX, x[e]);
      maxX = Math.max(maxX, x[e]);
      minY = Math.min(minY, y[e]);
      maxY = Math.max(maxY, y[e]);
    }
    for (int v = 0; v < beam.views; v++) {
      double c = beam.cos[v];
      double s = beam.sin[v];
      double uMin = Math.min(minX * c, maxX * c) + Math.min(minY * s, maxY * s) + beam.shift[v];
      double uMax = Math.max(minX * c, maxX * c) + Math.max(minY * s, maxY * s) + beam.shift[v];
      lo[v] = Math.max(0, Math.min(lo[v], (int) Math.floor((uMin - beam.u0) / beam.du) - 1));
      hi[v] = Math.min(bins - 1, Math.max(hi[v], (int) Math.ceil((uMax - beam.u0) / beam.du) + 1));
    }
  }

  /** Zeroes the touched ranges. */
  void reset() {
    for (float[] s : byMetal) {
      if (s != null) {
        for (int v = 0; v < lo.length; v++) {
          if (hi[v] >= lo[v]) {
            Arrays.fill(s, (v * bins + lo[v]) * SUB_BINS, (v * bins + hi[v] + 1) * SUB_BINS, 0f);
          }
        }
      }
    }
    Arrays.fill(lo, Integer.MAX_VALUE);
    Arrays.fill(hi, -1);
  }
}
