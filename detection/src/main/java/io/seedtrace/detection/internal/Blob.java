package io.seedtrace.detection.internal;

/**
 * Intensity-weighted moments of a set of voxels, in scan millimetres (i*dx, j*dy, k*dz): centre,
 * covariance, principal axis, apparent length and thickness, peak and volume.
 */
public final class Blob {

  public final int[] members;
  public final double[] centreMm = new double[3];
  public final double[] axisMm;
  public final double lengthMm;
  public final double thicknessMm;
  public final int peakHu;
  public final double volumeMm3;
  public final double mass;
  public final boolean touchesEndSlice;
  /** Integrated contrast over the blob's neighbourhood, relative to the local background (HU x mm3). */
  public final double contrastMass;

  /**
   * @param members positions into {@code voxels}
   * @param voxels sorted linear indices of foreground voxels
   */
  public Blob(int[] members, int[] voxels, short[] hu, int nx, int ny, int nz, double dx, double dy, double dz,
      int threshold) {
    this.members = members;
    int plane = nx * ny;
    double sw = 0;
    double[] s = new double[3];
    int peak = Integer.MIN_VALUE;
    boolean edge = false;
    double[][] pts = new double[members.length][3];
    double[] w = new double[members.length];
    for (int m = 0; m < members.length; m++) {
      int v = voxels[members[m]];
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      edge |= k == 0 || k == nz - 1;
      int h = hu[v];
      peak = Math.max(peak, h);
      double weight = h - threshold;
      pts[m][0] = i * dx;
      pts[m][1] = j * dy;
      pts[m][2] = k * dz;
      w[m] = weight;
      sw += weight;
      for (int a = 0; a < 3; a++) {
        s[a] += weight * pts[m][a];
      }
    }
    for (int a = 0; a < 3; a++) {
      centreMm[a] = s[a] / sw;
    }
    double[][] cov = new double[3][3];
    for (int m = 0; m < members.length; m++) {
      for (int a = 0; a < 3; a++) {
        for (int b = a; b < 3; b++) {
          cov[a][b] += w[m] * (pts[m][a] - centreMm[a]) * (pts[m][b] - centreMm[b]);
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      for (int b = a; b < 3; b++) {
        cov[a][b] /= sw;
        cov[b][a] = cov[a][b];
      }
    }
    SymmetricEigen eigen = new SymmetricEigen(cov);
    double[] axis = eigen.vectors[0].clone();
    if (axis[2] < 0 || (axis[2] == 0 && axis[1] < 0)) {
      for (int a = 0; a < 3; a++) {
        axis[a] = -axis[a];
      }
    }
    this.axisMm = axis;
    this.lengthMm = Math.sqrt(12 * Math.max(0, eigen.values[0]));
    this.thicknessMm = Math.sqrt(12 * Math.max(0, eigen.values[1]));
    this.peakHu = peak;
    this.volumeMm3 = members.length * dx * dy * dz;
    this.mass = sw * dx * dy * dz;
    this.touchesEndSlice = edge;
    this.contrastMass = contrastMass(members, voxels, hu, nx, ny, nz, dx, dy, dz, threshold);
  }

  /**
   * The blurred seed's total contrast is preserved by the blur, so summing (HU - local background)
   * over a box around the blob measures its metal content whatever its orientation, the slice
   * thickness or the tissue around it (soft tissue or lung).
   */
  private static double contrastMass(int[] members, int[] voxels, short[] hu, int nx, int ny, int nz, double dx,
      double dy, double dz, int threshold) {
    int plane = nx * ny;
    int i0 = Integer.MAX_VALUE, j0 = Integer.MAX_VALUE, k0 = Integer.MAX_VALUE;
    int i1 = -1, j1 = -1, k1 = -1;
    for (int m : members) {
      int v = voxels[m];
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      i0 = Math.min(i0, i); i1 = Math.max(i1, i);
      j0 = Math.min(j0, j); j1 = Math.max(j1, j);
      k0 = Math.min(k0, k); k1 = Math.max(k1, k);
    }
    int mi = (int) Math.ceil(2.0 / dx);
    int mj = (int) Math.ceil(2.0 / dy);
    int mk = (int) Math.ceil(2.0 / dz);
    i0 = Math.max(0, i0 - mi); i1 = Math.min(nx - 1, i1 + mi);
    j0 = Math.max(0, j0 - mj); j1 = Math.min(ny - 1, j1 + mj);
    k0 = Math.max(0, k0 - mk); k1 = Math.min(nz - 1, k1 + mk);
    // background: median of the box's outer shell
    java.util.List<Short> shell = new java.util.ArrayList<>();
    for (int k = k0; k <= k1; k++) {
      for (int j = j0; j <= j1; j++) {
        for (int i = i0; i <= i1; i++) {
          boolean border = i == i0 || i == i1 || j == j0 || j == j1 || ((k == k0 || k == k1) && k1 > k0 + 1);
          if (border && hu[i + nx * (j + ny * k)] < threshold) {
            shell.add(hu[i + nx * (j + ny * k)]);
          }
        }
      }
    }
    java.util.Collections.sort(shell);
    double background = shell.isEmpty() ? 0 : shell.get(shell.size() / 2);
    double sum = 0;
    for (int k = k0; k <= k1; k++) {
      for (int j = j0; j <= j1; j++) {
        for (int i = i0; i <= i1; i++) {
          sum += hu[i + nx * (j + ny * k)] - background;
        }
      }
    }
    return sum * dx * dy * dz;
  }
}
