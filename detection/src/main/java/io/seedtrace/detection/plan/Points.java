package io.seedtrace.detection.plan;

import java.util.List;

/** Small helpers on 3-D points given as {@code double[3]} (millimetres). */
final class Points {

  private Points() {}

  static double distance(double[] a, double[] b) {
    return Math.sqrt(distance2(a, b));
  }

  static double distance2(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
  }

  static double[] centroid(List<double[]> points) {
    double[] c = new double[3];
    for (double[] p : points) {
      for (int a = 0; a < 3; a++) {
        c[a] += p[a];
      }
    }
    for (int a = 0; a < 3; a++) {
      c[a] /= points.size();
    }
    return c;
  }

  /** Rejects null lists, null points and points that are not three finite coordinates. */
  static void check(List<double[]> points, String what) {
    if (points == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (p == null || p.length != 3 || !Double.isFinite(p[0]) || !Double.isFinite(p[1]) || !Double.isFinite(p[2])) {
        throw new IllegalArgumentException(what + " point " + i + " is not three finite coordinates");
      }
    }
  }
}
