package io.seedtrace.detection.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The blur of this scan, learnt from its isolated seeds, and the seed axis with the blur taken out.
 * A seed of length L along unit axis a, blurred by sxy in the slice plane and sz along the slice
 * axis, has the covariance (L^2/12) a a^T + diag(sxy^2, sxy^2, sz^2). The smallest in-plane
 * eigenvalue is then sxy^2 for every seed, and (largest - smallest in-plane eigenvalue) + czz =
 * L^2/12 + sz^2 for every seed; medians over the scan's seeds give both. Subtracting the blur
 * before taking the principal axis keeps thick slices from pulling every axis along z.
 */
public final class PointSpread {

  public final double varianceXy;
  public final double varianceZ;

  private PointSpread(double varianceXy, double varianceZ) {
    this.varianceXy = varianceXy;
    this.varianceZ = varianceZ;
  }

  public static PointSpread none() {
    return new PointSpread(0, 0);
  }

  /** From the covariances (mm^2) of seeds counted as single, for seeds of the given length. */
  public static PointSpread learn(List<double[][]> singles, double seedLengthMm) {
    if (singles.size() < 3) {
      return none();
    }
    double[] xy = new double[singles.size()];
    double[] k = new double[singles.size()];
    for (int s = 0; s < singles.size(); s++) {
      double[][] c = singles.get(s);
      double mean = (c[0][0] + c[1][1]) / 2;
      double diff = Math.sqrt((c[0][0] - c[1][1]) * (c[0][0] - c[1][1]) / 4 + c[0][1] * c[0][1]);
      xy[s] = mean - diff;
      k[s] = 2 * diff + c[2][2];
    }
    double vxy = Math.max(0, median(xy));
    double vz = Math.max(0, median(k) - seedLengthMm * seedLengthMm / 12);
    return new PointSpread(vxy, vz);
  }

  /** The covariance with the blur removed. */
  public double[][] deblurred(double[][] covariance) {
    double[][] m = new double[3][];
    for (int a = 0; a < 3; a++) {
      m[a] = covariance[a].clone();
    }
    m[0][0] -= varianceXy;
    m[1][1] -= varianceXy;
    m[2][2] -= varianceZ;
    return m;
  }

  /** Unit principal axis (z component >= 0) of the deblurred covariance. */
  public double[] axis(double[][] covariance) {
    SymmetricEigen e = new SymmetricEigen(deblurred(covariance));
    double[] axis = e.vectors[0].clone();
    if (axis[2] < 0 || (axis[2] == 0 && axis[1] < 0)) {
      for (int a = 0; a < 3; a++) {
        axis[a] = -axis[a];
      }
    }
    return axis;
  }

  /**
   * How much the narrowest spread in the slice plane (mm2, smallest in-plane eigenvalue of the
   * covariance) exceeds that of a single seed on this scan: about zero for a seed, whatever its
   * orientation (its cross-section is the rod's), more for a wider object.
   */
  public double widthExcess(double[][] c) {
    double mean = (c[0][0] + c[1][1]) / 2;
    double diff = Math.sqrt((c[0][0] - c[1][1]) * (c[0][0] - c[1][1]) / 4 + c[0][1] * c[0][1]);
    return mean - diff - varianceXy;
  }

  /** Length (mm) of a uniform rod with the deblurred covariance's largest variance. */
  public double length(double[][] covariance) {
    SymmetricEigen e = new SymmetricEigen(deblurred(covariance));
    return Math.sqrt(12 * Math.max(0, e.values[0]));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
