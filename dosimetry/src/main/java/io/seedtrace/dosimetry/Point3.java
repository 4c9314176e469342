package io.seedtrace.dosimetry;

/** A point or direction in patient space, millimetres for points. */
public record Point3(double x, double y, double z) {

  public Point3 {
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
      throw new IllegalArgumentException("coordinates must be finite: " + x + ", " + y + ", " + z);
    }
  }

  public double norm() {
    return Math.sqrt(x * x + y * y + z * z);
  }

  /** This vector scaled to length 1. */
  public Point3 unit() {
    double n = norm();
    if (n == 0) {
      throw new IllegalArgumentException("a zero vector has no direction");
    }
    return new Point3(x / n, y / n, z / n);
  }
}
