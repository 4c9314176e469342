package io.seedtrace.detection.phantom.scanned;

/**
 * An analytic solid in patient coordinates (LPS, mm) that can say whether a point is inside it.
 * Anatomy, seeds and markers are all built from these three primitives and voxelised by sampling.
 */
sealed interface Solid permits Solid.Ellipsoid, Solid.Rod, Solid.Extrusion {

  /** Whether the point (mm) is inside. */
  boolean contains(double x, double y, double z);

  /** An axis-aligned box enclosing the solid. */
  Bounds bounds();

  /** Axis-aligned bounds (mm). */
  record Bounds(double minX, double maxX, double minY, double maxY, double minZ, double maxZ) {

    boolean coversZ(double z) {
      return z >= minZ && z <= maxZ;
    }
  }

  /** An ellipsoid with semi-axes a, b, c, turned by {@code yaw} (radians) about the z axis. */
  final class Ellipsoid implements Solid {
    final double cx;
    final double cy;
    final double cz;
    final double a;
    final double b;
    final double c;
    final double yaw;
    private final double cos;
    private final double sin;

    Ellipsoid(double cx, double cy, double cz, double a, double b, double c, double yaw) {
      this.cx = cx;
      this.cy = cy;
      this.cz = cz;
      this.a = a;
      this.b = b;
      this.c = c;
      this.yaw = yaw;
      this.cos = Math.cos(yaw);
      this.sin = Math.sin(yaw);
    }

    @Override
    public boolean contains(double x, double y, double z) {
      double dx = x - cx;
      double dy = y - cy;
      double dz = (z - cz) / c;
      double u = (dx * cos + dy * sin) / a;
      double v = (-dx * sin + dy * cos) / b;
      return u * u + v * v + dz * dz <= 1;
    }

    @Override
    public Bounds bounds() {
      double r = Math.max(a, b);
      return new Bounds(cx - r, cx + r, cy - r, cy + r, cz - c, cz + c);
    }

    /** The same ellipsoid shrunk by a wall thickness (mm) on every semi-axis. */
    Ellipsoid inset(double wall) {
      return new Ellipsoid(cx, cy, cz, a - wall, b - wall, c - wall, yaw);
    }

    /** The same ellipsoid scaled by a factor about its centre. */
    Ellipsoid scaled(double f) {
      return new Ellipsoid(cx, cy, cz, a * f, b * f, c * f, yaw);
    }
  }

  /**
   * A straight cylinder of given radius from {@code p0} to {@code p1}; with {@code rounded} ends it
   * is a capsule (hemispheres beyond both ends), otherwise it has flat ends.
   */
  record Rod(double[] p0, double[] p1, double radius, boolean rounded) implements Solid {

    @Override
    public boolean contains(double x, double y, double z) {
      double ax = p1[0] - p0[0];
      double ay = p1[1] - p0[1];
      double az = p1[2] - p0[2];
      double len2 = ax * ax + ay * ay + az * az;
      double px = x - p0[0];
      double py = y - p0[1];
      double pz = z - p0[2];
      double t = len2 > 0 ? (px * ax + py * ay + pz * az) / len2 : 0;
      if (t < 0 || t > 1) {
        if (!rounded) {
          return false;
        }
        t = t < 0 ? 0 : 1;
      }
      double rx = px - t * ax;
      double ry = py - t * ay;
      double rz = pz - t * az;
      return rx * rx + ry * ry + rz * rz <= radius * radius;
    }

    @Override
    public Bounds bounds() {
      return new Bounds(Math.min(p0[0], p1[0]) - radius, Math.max(p0[0], p1[0]) + radius,
          Math.min(p0[1], p1[1]) - radius, Math.max(p0[1], p1[1]) + radius,
          Math.min(p0[2], p1[2]) - radius, Math.max(p0[2], p1[2]) + radius);
    }
  }

  /**
   * An elliptic cylinder along z from {@code zMin} to {@code zMax}, semi-axes a, b turned by
   * {@code yaw}; the cross-section scales linearly along z by {@code taper} (relative change from
   * the middle to either end), so bodies and organs narrow or widen with height.
   */
  final class Extrusion implements Solid {
    final double cx;
    final double cy;
    final double a;
    final double b;
    final double yaw;
    final double zMin;
    final double zMax;
    final double taper;
    private final double cos;
    private final double sin;

    Extrusion(double cx, double cy, double a, double b, double yaw, double zMin, double zMax,
        double taper) {
      this.cx = cx;
      this.cy = cy;
      this.a = a;
      this.b = b;
      this.yaw = yaw;
      this.zMin = zMin;
      this.zMax = zMax;
      this.taper = taper;
      this.cos = Math.cos(yaw);
      this.sin = Math.sin(yaw);
    }

    @Override
    public boolean contains(double x, double y, double z) {
      if (z < zMin || z > zMax) {
        return false;
      }
      double s = 1 + taper * (2 * z - zMin - zMax) / (zMax - zMin);
      double dx = x - cx;
      double dy = y - cy;
      double u = (dx * cos + dy * sin) / (a * s);
      double v = (-dx * sin + dy * cos) / (b * s);
      return u * u + v * v <= 1;
    }

    @Override
    public Bounds bounds() {
      double r = Math.max(a, b) * (1 + Math.abs(taper));
      return new Bounds(cx - r, cx + r, cy - r, cy + r, zMin, zMax);
    }

    /** The same cylinder shrunk in-plane by a wall thickness (mm). */
    Extrusion inset(double wall) {
      return new Extrusion(cx, cy, a - wall, b - wall, yaw, zMin, zMax, taper);
    }
  }
}
