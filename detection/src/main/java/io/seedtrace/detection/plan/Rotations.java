package io.seedtrace.detection.plan;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** 3x3 rotation helpers on row-major {@code double[9]}. */
final class Rotations {

  private Rotations() {}

  /**
   * The proper rotation closest (Frobenius norm) to {@code m}: with {@code m = U S V^T},
   * {@code U diag(1, 1, det(U V^T)) V^T}. The diagonal correction is the reflection guard: without it
   * a degenerate or mirrored point set would yield a mirror, which no patient motion can produce.
   * Applied to the correlation {@code sum (q - q0)(p - p0)^T} this is the Kabsch solution.
   */
  static double[] nearestRotation(double[] m) {
    DMatrixRMaj a = new DMatrixRMaj(3, 3, true, m);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
    if (!svd.decompose(a)) {
      throw new IllegalStateException("SVD of a 3x3 matrix did not converge");
    }
    DMatrixRMaj u = svd.getU(null, false);
    DMatrixRMaj v = svd.getV(null, false);
    DMatrixRMaj uvt = new DMatrixRMaj(3, 3);
    CommonOps_DDRM.multTransB(u, v, uvt);
    if (CommonOps_DDRM.det(uvt) < 0) {
      // flip the direction belonging to the smallest singular value
      int smallest = 0;
      double[] w = svd.getSingularValues();
      for (int i = 1; i < 3; i++) {
        if (w[i] < w[smallest]) {
          smallest = i;
        }
      }
      for (int r = 0; r < 3; r++) {
        u.set(r, smallest, -u.get(r, smallest));
      }
      CommonOps_DDRM.multTransB(u, v, uvt);
    }
    return uvt.data.clone();
  }

  static double[] multiply(double[] a, double[] b) {
    double[] c = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int k = 0; k < 3; k++) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
          s += a[3 * r + i] * b[3 * i + k];
        }
        c[3 * r + k] = s;
      }
    }
    return c;
  }

  static double[] transpose(double[] a) {
    return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
  }

  static double[] times(double[] r, double[] p) {
    return new double[] {
        r[0] * p[0] + r[1] * p[1] + r[2] * p[2],
        r[3] * p[0] + r[4] * p[1] + r[5] * p[2],
        r[6] * p[0] + r[7] * p[1] + r[8] * p[2]};
  }

  static double determinant(double[] r) {
    return r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
  }

  /** Largest absolute entry of {@code R R^T - I}. */
  static double orthonormalityError(double[] r) {
    double[] rrt = multiply(r, transpose(r));
    double worst = 0;
    for (int i = 0; i < 9; i++) {
      double expected = i % 4 == 0 ? 1 : 0;
      worst = Math.max(worst, Math.abs(rrt[i] - expected));
    }
    return worst;
  }
}
