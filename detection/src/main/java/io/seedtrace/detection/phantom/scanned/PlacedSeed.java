package io.seedtrace.detection.phantom.scanned;

/**
 * A seed as implanted: centre and unit axis (mm, LPS). The capsule is a segment of half-length
 * {@link #CORE_HALF} swept by a 0.4 mm radius, which gives the distances used to tell touching
 * seeds from merely close ones.
 */
record PlacedSeed(double[] centre, double[] axis) {

  /** Half-length of the capsule's central segment (length minus the rounded ends, halved). */
  static final double CORE_HALF = SeedDesign.LENGTH_MM / 2 - SeedDesign.DIAMETER_MM / 2;

  /** Distance between the capsule surfaces of two seeds (negative if they overlap). */
  double gapTo(PlacedSeed o) {
    return segmentDistance(o) - SeedDesign.DIAMETER_MM;
  }

  /** Half the axial (z) extent of the metal, rounded ends included. */
  double zHalfExtent() {
    double az = Math.abs(axis[2]);
    return SeedDesign.LENGTH_MM / 2 * az + SeedDesign.DIAMETER_MM / 2 * Math.sqrt(Math.max(0, 1 - az * az));
  }

  /** Shortest distance between the two central segments (clamped closest-point method). */
  private double segmentDistance(PlacedSeed o) {
    double[] d1 = scale(axis, 2 * CORE_HALF);
    double[] d2 = scale(o.axis, 2 * CORE_HALF);
    double[] p1 = Vec3.along(centre, axis, -CORE_HALF);
    double[] p2 = Vec3.along(o.centre, o.axis, -CORE_HALF);
    double[] r = {p1[0] - p2[0], p1[1] - p2[1], p1[2] - p2[2]};
    double a = dot(d1, d1);
    double e = dot(d2, d2);
    double f = dot(d2, r);
    double c = dot(d1, r);
    double b = dot(d1, d2);
    double denom = a * e - b * b;
    double s = denom > 1e-12 ? clamp((b * f - c * e) / denom) : 0;
    double t = (b * s + f) / e;
    if (t < 0) {
      t = 0;
      s = clamp(-c / a);
    } else if (t > 1) {
      t = 1;
      s = clamp((b - c) / a);
    }
    double dx = p1[0] + d1[0] * s - p2[0] - d2[0] * t;
    double dy = p1[1] + d1[1] * s - p2[1] - d2[1] * t;
    double dz = p1[2] + d1[2] * s - p2[2] - d2[2] * t;
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static double[] scale(double[] v, double k) {
    return new double[] {v[0] * k, v[1] * k, v[2] * k};
  }
}
