package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/** Arithmetic on 3-vectors stored as {@code double[3]} (mm or unit directions, LPS). */
final class Vec3 {

  private Vec3() {}

  /** The point {@code p + t * dir}. */
  static double[] along(double[] p, double[] dir, double t) {
    return new double[] {p[0] + t * dir[0], p[1] + t * dir[1], p[2] + t * dir[2]};
  }

  static double[] normalise(double[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  static double distance(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** A direction uniformly distributed on the unit sphere. */
  static double[] randomDirection(SplittableRandom random) {
    double z = random.nextDouble(-1, 1);
    double phi = random.nextDouble(0, 2 * Math.PI);
    double s = Math.sqrt(1 - z * z);
    return new double[] {s * Math.cos(phi), s * Math.sin(phi), z};
  }

  /** A random unit vector perpendicular to the unit vector {@code d}. */
  static double[] perpendicular(double[] d, SplittableRandom random) {
    while (true) {
      double[] r = randomDirection(random);
      double dot = r[0] * d[0] + r[1] * d[1] + r[2] * d[2];
      double[] p = {r[0] - dot * d[0], r[1] - dot * d[1], r[2] - dot * d[2]};
      double n = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
      if (n > 0.2) {
        return new double[] {p[0] / n, p[1] / n, p[2] / n};
      }
    }
  }

  /** The unit vector {@code dir} turned by {@code angle} (radians) towards a random perpendicular. */
  static double[] turned(double[] dir, double angle, SplittableRandom random) {
    double[] p = perpendicular(dir, random);
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    return normalise(new double[] {c * dir[0] + s * p[0], c * dir[1] + s * p[1], c * dir[2] + s * p[2]});
  }
}
