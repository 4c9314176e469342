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
  }
}
