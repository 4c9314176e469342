package io.seedtrace.detection;

/**
 * A CT volume in Hounsfield units with its geometry in patient coordinates (LPS, mm): voxel
 * (i, j, k) is at {@code origin + i*dx*row + j*dy*column + k*dz*slice} and holds
 * {@code hu[i + nx*(j + ny*k)]}. The array is not copied (it is large) and must not change.
 */
public record CtScan(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin,
    double[] row, double[] column, double[] slice, short[] hu) {

  public CtScan {
    if (nx < 1 || ny < 1 || nz < 1) {
      throw new IllegalArgumentException("dimensions must be positive, got " + nx + "x" + ny + "x" + nz);
    }
    if (!(dx > 0 && dy > 0 && dz > 0)) {
      throw new IllegalArgumentException("voxel spacing must be positive, got " + dx + ", " + dy + ", " + dz);
    }
    if (hu.length != (long) nx * ny * nz) {
      throw new IllegalArgumentException("expected " + ((long) nx * ny * nz) + " voxels, got " + hu.length);
    }
    if (origin.length != 3 || row.length != 3 || column.length != 3 || slice.length != 3) {
      throw new IllegalArgumentException("origin and directions must be 3-vectors");
    }
  }

  /** An axis-aligned scan (row = +x, column = +y, slice = +z). */
  public static CtScan axial(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin, short[] hu) {
    return new CtScan(nx, ny, nz, dx, dy, dz, origin, new double[] {1, 0, 0}, new double[] {0, 1, 0},
        new double[] {0, 0, 1}, hu);
  }

  /** Patient coordinates (mm) of a fractional voxel position. */
  public double[] toPatient(double i, double j, double k) {
    double[] p = new double[3];
    for (int a = 0; a < 3; a++) {
      p[a] = origin[a] + i * dx * row[a] + j * dy * column[a] + k * dz * slice[a];
    }
    return p;
  }

  /** Patient-space direction of a voxel-space vector given in mm along (row, column, slice). */
  public double[] toPatientDirection(double mi, double mj, double mk) {
    double[] d = new double[3];
    for (int a = 0; a < 3; a++) {
      d[a] = mi * row[a] + mj * column[a] + mk * slice[a];
    }
    return d;
  }

  public double voxelVolumeMm3() {
    return dx * dy * dz;
  }
}
