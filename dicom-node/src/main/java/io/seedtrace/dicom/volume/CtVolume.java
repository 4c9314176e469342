package io.seedtrace.dicom.volume;

/**
 * A CT volume in patient coordinates (LPS, mm): voxel (i, j, k) lies at
 * {@code origin + i*dx*rowDirection + j*dy*columnDirection + k*dz*sliceDirection}, and its value in
 * Hounsfield units is {@code voxels[i + nx*(j + ny*k)]}. Immutable by contract: the array is not
 * copied (it is the largest object in the process) and must not be changed after construction.
 *
 * @param rowDirection direction of increasing column index i (first triplet of Image Orientation)
 * @param columnDirection direction of increasing row index j (second triplet)
 * @param sliceDirection direction of increasing k (row x column)
 */
public record CtVolume(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin,
    double[] rowDirection, double[] columnDirection, double[] sliceDirection, short[] voxels,
    String studyUid, String seriesUid, String frameOfReferenceUid) {

  public CtVolume {
    if (nx < 1 || ny < 1 || nz < 1) {
      throw new IllegalArgumentException("dimensions must be positive: " + nx + "x" + ny + "x" + nz);
    }
    if (!(dx > 0 && dy > 0 && dz > 0)) {
      throw new IllegalArgumentException("spacing must be positive: " + dx + ", " + dy + ", " + dz);
    }
    if (voxels.length != (long) nx * ny * nz) {
      throw new IllegalArgumentException("voxel array holds " + voxels.length + " values, " + ((long) nx * ny * nz) + " expected");
    }
    if (origin.length != 3 || rowDirection.length != 3 || columnDirection.length != 3 || sliceDirection.length != 3) {
      throw new IllegalArgumentException("origin and directions must be 3-vectors");
    }
  }

  public short hu(int i, int j, int k) {
    return voxels[i + nx * (j + ny * k)];
  }

  /** Patient coordinates (mm) of a (possibly fractional) voxel position. */
  public double[] toPatient(double i, double j, double k) {
    double[] p = new double[3];
    for (int a = 0; a < 3; a++) {
      p[a] = origin[a] + i * dx * rowDirection[a] + j * dy * columnDirection[a] + k * dz * sliceDirection[a];
    }
    return p;
  }
}
