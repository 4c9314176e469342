package io.seedtrace.detection.internal;

/** Eigen decomposition of a symmetric 3x3 matrix by Jacobi rotations (values descending). */
public final class SymmetricEigen {

  public final double[] values = new double[3];
  /** vectors[c] is the unit eigenvector of values[c]. */
  public final double[][] vectors = new double[3][3];

  public SymmetricEigen(double[][] m) {
    double[][] a = {m[0].clone(), m[1].clone(), m[2].clone()};
    double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int sweep = 0; sweep < 50; sweep++) {
      double off = Math.abs(a[0][1]) + Math.abs(a[0][2]) + Math.abs(a[1][2]);
      if (off < 1e-15) {
        break;
      }
      for (int p = 0; p < 2; p++) {
        for (int q = p + 1; q < 3; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < 3; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < 3; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < 3; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = {0, 1, 2};
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    for (int c = 0; c < 3; c++) {
      values[c] = a[order[c]][order[c]];
      for (int r = 0; r < 3; r++) {
        vectors[c][r] = v[r][order[c]];
      }
    }
  }
}
