package io.seedtrace.dicom.rt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Spatial Registration instance says about frames of reference: for each registered frame,
 * the 4x4 matrix (16 values, row major, homogeneous) that takes a point given in that frame to the
 * registration's own frame, the target (PS3.3 C.20.2.1.1: the matrix maps the registered RCS into
 * the registration RCS).
 *
 * <p>A plan made on a planning CT and seeds found on the post-implant CT are in different frames
 * of reference; {@link #matrixBetween} gives the matrix that moves plan positions into the frame of
 * the seeds, or nothing when this registration does not relate the two frames (then the comparison
 * must not be made).
 *
 * <p>Immutable: matrices are copied in and out. Only affine matrices with last row (0, 0, 0, 1) and
 * an invertible 3x3 part are accepted; {@link SpatialRegistrationReader} further restricts them to
 * the rigid types.
 *
 * @param targetFrameOfReferenceUid the registration's own Frame of Reference UID
 * @param matrixFromFrame for each registered Frame of Reference UID, the matrix from it to the target
 */
public record SpatialRegistration(String targetFrameOfReferenceUid, Map<String, double[]> matrixFromFrame) {

  private static final double[] IDENTITY = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  private static final double LAST_ROW_TOLERANCE = 1e-6;

  public SpatialRegistration {
    Objects.requireNonNull(targetFrameOfReferenceUid, "targetFrameOfReferenceUid");
    matrixFromFrame = copy(matrixFromFrame);
    for (Map.Entry<String, double[]> e : matrixFromFrame.entrySet()) {
      String problem = problemWith(e.getValue());
      if (problem != null) {
        throw new IllegalArgumentException("Matrix for frame " + e.getKey() + ": " + problem);
      }
    }
  }

  /** Copies of the matrices, in the order the registration lists them. */
  @Override
  public Map<String, double[]> matrixFromFrame() {
    return copy(matrixFromFrame);
  }

  /**
   * The matrix that takes a point in frame {@code fromFor} to frame {@code toFor}: the identity when
   * they are the same frame; {@code inverse(M_to) * M_from} when this registration relates both to its
   * target (its own frame counting as related by the identity, whether or not it lists itself).
   *
   * @return empty when this registration does not relate both frames
   */
  public Optional<double[]> matrixBetween(String fromFor, String toFor) {
    if (fromFor.equals(toFor)) {
      return Optional.of(IDENTITY.clone());
    }
    Optional<double[]> from = toTarget(fromFor);
    Optional<double[]> to = toTarget(toFor);
    if (from.isEmpty() || to.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(multiply(invertAffine(to.get()), from.get()));
  }

  /** Applies a 4x4 row-major homogeneous matrix to a point x, y, z. */
  public static double[] apply(double[] matrix, double[] point) {
    if (matrix.length != 16 || point.length != 3) {
      throw new IllegalArgumentException("A 16-value matrix and an x, y, z point are needed");
    }
    double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = matrix[4 * r] * point[0] + matrix[4 * r + 1] * point[1] + matrix[4 * r + 2] * point[2]
          + matrix[4 * r + 3];
    }
    return out;
  }

  private Optional<double[]> toTarget(String frame) {
    double[] listed = matrixFromFrame.get(frame);
    if (listed != null) {
      return Optional.of(listed);
    }
    return frame.equals(targetFrameOfReferenceUid) ? Optional.of(IDENTITY) : Optional.empty();
  }

  /** Why {@code m} is not an invertible affine matrix, or null when it is one. */
  static String problemWith(double[] m) {
    if (m == null || m.length != 16) {
      return "16 values expected";
    }
    for (double v : m) {
      if (!Double.isFinite(v)) {
        return "values must be finite";
      }
    }
    if (Math.abs(m[12]) > LAST_ROW_TOLERANCE || Math.abs(m[13]) > LAST_ROW_TOLERANCE
        || Math.abs(m[14]) > LAST_ROW_TOLERANCE || Math.abs(m[15] - 1) > LAST_ROW_TOLERANCE) {
      return "last row must be 0, 0, 0, 1";
    }
    if (Math.abs(determinant3(m)) < 1e-9) {
      return "the 3x3 part is singular";
    }
    return null;
  }

  /** Determinant of the upper-left 3x3 part. */
  static double determinant3(double[] m) {
    return m[0] * (m[5] * m[10] - m[6] * m[9])
        - m[1] * (m[4] * m[10] - m[6] * m[8])
        + m[2] * (m[4] * m[9] - m[5] * m[8]);
  }

  static double[] multiply(double[] a, double[] b) {
    double[] out = new double[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          sum += a[4 * r + k] * b[4 * k + c];
        }
        out[4 * r + c] = sum;
      }
    }
    return out;
  }

  /** Inverse of an affine matrix: inverse of its 3x3 part A, and translation -A^-1 t. */
  static double[] invertAffine(double[] m) {
    double det = determinant3(m);
    double[] inv = new double[16];
    inv[0] = (m[5] * m[10] - m[6] * m[9]) / det;
    inv[1] = (m[2] * m[9] - m[1] * m[10]) / det;
    inv[2] = (m[1] * m[6] - m[2] * m[5]) / det;
    inv[4] = (m[6] * m[8] - m[4] * m[10]) / det;
    inv[5] = (m[0] * m[10] - m[2] * m[8]) / det;
    inv[6] = (m[2] * m[4] - m[0] * m[6]) / det;
    inv[8] = (m[4] * m[9] - m[5] * m[8]) / det;
    inv[9] = (m[1] * m[8] - m[0] * m[9]) / det;
    inv[10] = (m[0] * m[5] - m[1] * m[4]) / det;
    for (int r = 0; r < 3; r++) {
      inv[4 * r + 3] = -(inv[4 * r] * m[3] + inv[4 * r + 1] * m[7] + inv[4 * r + 2] * m[11]);
    }
    inv[15] = 1;
    return inv;
  }

  private static Map<String, double[]> copy(Map<String, double[]> matrices) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : matrices.entrySet()) {
      out.put(Objects.requireNonNull(e.getKey(), "frame of reference"),
          Objects.requireNonNull(e.getValue(), "matrix").clone());
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public String toString() {
    return "SpatialRegistration[to " + targetFrameOfReferenceUid + " from " + matrixFromFrame.keySet() + "]";
  }
}
