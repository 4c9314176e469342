package io.seedtrace.dosimetry;

import java.util.Objects;

/**
 * A regular dose grid in patient space: voxel centres at {@code origin + (i, j, k) * spacing} (mm), one
 * float per voxel (x fastest). Values are initial dose rates in cGy/h unless the producer says otherwise.
 */
public final class DoseGrid {

  private final Point3 originMm;
  private final double spacingMm;
  private final int nx;
  private final int ny;
  private final int nz;
  private final float[] values;

  public DoseGrid(Point3 originMm, double spacingMm, int nx, int ny, int nz) {
    if (!(spacingMm > 0) || nx <= 0 || ny <= 0 || nz <= 0) {
      throw new IllegalArgumentException("grid needs a positive spacing and size, got " + spacingMm + " mm, "
          + nx + " x " + ny + " x " + nz);
    }
    if ((long) nx * ny * nz > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("grid too large: " + nx + " x " + ny + " x " + nz);
    }
    this.originMm = Objects.requireNonNull(originMm);
    this.spacingMm = spacingMm;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.values = new float[nx * ny * nz];
  }

  /** A grid covering a box of {@code sizeMm} per side starting at {@code cornerMm}, voxel centres inside. */
  public static DoseGrid cube(Point3 cornerMm, double sizeMm, double spacingMm) {
    int n = (int) Math.round(sizeMm / spacingMm);
    Point3 origin = new Point3(cornerMm.x() + spacingMm / 2, cornerMm.y() + spacingMm / 2, cornerMm.z() + spacingMm / 2);
    return new DoseGrid(origin, spacingMm, n, n, n);
  }

  public Point3 originMm() {
    return originMm;
  }

  public double spacingMm() {
    return spacingMm;
  }

  public int nx() {
    return nx;
  }

  public int ny() {
    return ny;
  }

  public int nz() {
    return nz;
  }

  public float value(int i, int j, int k) {
    return values[index(i, j, k)];
  }

  /** Value at grid index {@code index} (x fastest: {@code (k * ny + j) * nx + i}). */
  public float valueAt(int index) {
    return values[index];
  }

  /** Number of voxels. */
  public int size() {
    return values.length;
  }

  /** Multiplies every value by {@code factor}, e.g. to turn initial dose rates (cGy/h) into total doses (Gy). */
  public void scale(double factor) {
    if (!Double.isFinite(factor) || factor < 0) {
      throw new IllegalArgumentException("scale factor must be finite and >= 0, got " + factor);
    }
    float f = (float) factor;
    for (int p = 0; p < values.length; p++) {
      values[p] *= f;
    }
  }

  /** The largest value (0 for an empty grid). */
  public float max() {
    float max = 0f;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** Centre of voxel (i, j, k), mm. */
  public Point3 centre(int i, int j, int k) {
    return new Point3(originMm.x() + i * spacingMm, originMm.y() + j * spacingMm, originMm.z() + k * spacingMm);
  }

  int index(int i, int j, int k) {
    return (k * ny + j) * nx + i;
  }

  /** The backing array (x fastest), for producers in this package. */
  float[] values() {
    return values;
  }
}
