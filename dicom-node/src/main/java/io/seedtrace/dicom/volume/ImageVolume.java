package io.seedtrace.dicom.volume;

/**
 * A CT or MR volume in patient coordinates (LPS, mm): voxel (i, j, k) lies at
 * {@code origin + i*dx*rowDirection + j*dy*columnDirection + k*dz*sliceDirection}, and its value is
 * {@code voxels[i + nx*(j + ny*k)] * valueScale}: Hounsfield units for CT (scale 1), the rescaled
 * scanner signal for MR (scale 1 unless that signal's range exceeds a 16-bit voxel, see
 * {@link VolumeAssembler}). Immutable by contract: the array is not copied (it is the largest object
 * in the process) and must not be changed after construction.
 *
 * <pre>{@code
 * ImageVolume mr = VolumeAssembler.assemble(files, Modality.MR);
 * double[] p = mr.toPatient(10, 20, 3);   // mm, LPS
 * }</pre>
 *
 * @param rowDirection direction of increasing column index i (first triplet of Image Orientation)
 * @param columnDirection direction of increasing row index j (second triplet)
 * @param sliceDirection direction of increasing k (row x column)
 * @param valueScale what one stored voxel step is worth; positive
 */
public record ImageVolume(Modality modality, int nx, int ny, int nz, double dx, double dy, double dz,
    double[] origin, double[] rowDirection, double[] columnDirection, double[] sliceDirection, short[] voxels,
    double valueScale, String studyUid, String seriesUid, String frameOfReferenceUid) {

  public ImageVolume {
    if (modality == null) {
      throw new IllegalArgumentException("modality is required");
    }
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
    if (!(valueScale > 0) || Double.isInfinite(valueScale)) {
      throw new IllegalArgumentException("value scale must be positive: " + valueScale);
    }
  }

  /** A CT volume: values in Hounsfield units, stored one to one. */
  public static ImageVolume ct(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin,
      double[] rowDirection, double[] columnDirection, double[] sliceDirection, short[] voxels,
      String studyUid, String seriesUid, String frameOfReferenceUid) {
    return new ImageVolume(Modality.CT, nx, ny, nz, dx, dy, dz, origin, rowDirection, columnDirection,
        sliceDirection, voxels, 1, studyUid, seriesUid, frameOfReferenceUid);
  }

  /** The stored voxel value (for CT, Hounsfield units); multiply by {@link #valueScale} for the signal. */
  public short value(int i, int j, int k) {
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
