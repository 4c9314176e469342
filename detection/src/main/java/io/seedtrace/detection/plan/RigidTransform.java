package io.seedtrace.detection.plan;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rigid motion {@code p -> R p + t} in millimetres: the only change of coordinates we accept between
 * the plan and the post-operative CT, because a scale or shear there would hide exactly the seed
 * displacements the verification is meant to measure.
 *
 * <p>Both arrays are copied on the way in and out, so an instance cannot be changed after creation.
 *
 * @param rotation proper rotation matrix, row-major {@code double[9]} (orthonormal within 1e-6, det +1)
 * @param translation {@code double[3]}, mm
 */
public record RigidTransform(double[] rotation, double[] translation) {

  /** Tolerance of {@link #fromDicomMatrix}: DICOM stores the matrix as decimal strings of limited precision. */
  public static final double DICOM_ORTHONORMALITY_TOLERANCE = 1e-3;

  private static final double INTERNAL_TOLERANCE = 1e-6;

  public RigidTransform {
    if (rotation == null || rotation.length != 9 || translation == null || translation.length != 3) {
      throw new IllegalArgumentException("a rigid transform needs a 3x3 rotation (9 values) and 3 translations");
    }
    rotation = rotation.clone();
    translation = translation.clone();
    for (double v : rotation) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("rotation has a non-finite entry");
      }
    }
    for (double v : translation) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("translation has a non-finite entry");
      }
    }
    if (Rotations.orthonormalityError(rotation) > INTERNAL_TOLERANCE || Rotations.determinant(rotation) < 0) {
      throw new IllegalArgumentException("not a proper rotation: " + Arrays.toString(rotation));
    }
  }

  public static RigidTransform identity() {
    return new RigidTransform(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
  }

  /**
   * The rotation about the axis of {@code rotationVector} by its length (radians), then the
   * translation: the 6-parameter form an optimiser searches in, free of gimbal lock near identity.
   */
  public static RigidTransform ofRotationVector(double[] rotationVector, double[] translation) {
    double angle = Math.sqrt(rotationVector[0] * rotationVector[0] + rotationVector[1] * rotationVector[1]
        + rotationVector[2] * rotationVector[2]);
    if (angle < 1e-15) {
      return new RigidTransform(identity().rotation, translation);
    }
    double x = rotationVector[0] / angle;
    double y = rotationVector[1] / angle;
    double z = rotationVector[2] / angle;
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double v = 1 - c;
    double[] r = {
        c + x * x * v, x * y * v - z * s, x * z * v + y * s,
        y * x * v + z * s, c + y * y * v, y * z * v - x * s,
        z * x * v - y * s, z * y * v + x * s, c + z * z * v};
    return new RigidTransform(Rotations.nearestRotation(r), translation);
  }

  /** A pure translation. */
  public static RigidTransform ofTranslation(double[] t) {
    return new RigidTransform(identity().rotation, t);
  }

  /**
   * Reads a DICOM Frame of Reference Transformation Matrix (tag (3006,00C6), as found in a Spatial
   * Registration object): 16 values, row-major, last row {@code 0 0 0 1}. The upper-left 3x3 must be
   * a proper rotation within {@value #DICOM_ORTHONORMALITY_TOLERANCE}; it is then snapped to the
   * nearest exact rotation, so that rounding in the stored decimal strings does not accumulate.
   *
   * <p>The matrix maps coordinates of its source frame into the registered frame; the caller passes
   * the one that takes plan coordinates into the CT's frame.
   *
   * @throws IllegalArgumentException for a wrong length, a last row other than {@code 0 0 0 1}, or a
   *     scale, shear or mirror in the 3x3 part
   */
  public static RigidTransform fromDicomMatrix(double[] m16) {
    if (m16 == null || m16.length != 16) {
      throw new IllegalArgumentException("a DICOM transformation matrix has 16 values");
    }
    for (double v : m16) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("the transformation matrix has a non-finite entry");
      }
    }
    if (Math.abs(m16[12]) > 1e-6 || Math.abs(m16[13]) > 1e-6 || Math.abs(m16[14]) > 1e-6
        || Math.abs(m16[15] - 1) > 1e-6) {
      throw new IllegalArgumentException("the last row of the transformation matrix must be 0 0 0 1");
    }
    double[] r = {m16[0], m16[1], m16[2], m16[4], m16[5], m16[6], m16[8], m16[9], m16[10]};
    double error = Rotations.orthonormalityError(r);
    if (error > DICOM_ORTHONORMALITY_TOLERANCE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the transformation is not rigid: its 3x3 part deviates from orthonormal by %.4f", error));
    }
    if (Rotations.determinant(r) < 0) {
      throw new IllegalArgumentException("the transformation is a mirror, not a rigid motion");
    }
    return new RigidTransform(Rotations.nearestRotation(r), new double[] {m16[3], m16[7], m16[11]});
  }

  /** {@code R p + t}. */
  public double[] apply(double[] p) {
    double[] q = Rotations.times(rotation, p);
    q[0] += translation[0];
    q[1] += translation[1];
    q[2] += translation[2];
    return q;
  }

  /**
   * The transform that applies {@code first} and then this one: {@code this.compose(first).apply(p)}
   * equals {@code this.apply(first.apply(p))}.
   */
  public RigidTransform compose(RigidTransform first) {
    double[] r = Rotations.nearestRotation(Rotations.multiply(rotation, first.rotation));
    return new RigidTransform(r, apply(first.translation));
  }

  /** {@code p -> R^T (p - t)}. */
  public RigidTransform inverse() {
    double[] rt = Rotations.transpose(rotation);
    double[] t = Rotations.times(rt, translation);
    return new RigidTransform(rt, new double[] {-t[0], -t[1], -t[2]});
  }

  /** The angle of the rotation part about its own axis, degrees in [0, 180]. */
  public double rotationDegrees() {
    double cos = (rotation[0] + rotation[4] + rotation[8] - 1) / 2;
    return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
  }

  /** The 16 values of the equivalent DICOM matrix, row-major. */
  public double[] toDicomMatrix() {
    double[] r = rotation;
    double[] t = translation;
    return new double[] {r[0], r[1], r[2], t[0], r[3], r[4], r[5], t[1], r[6], r[7], r[8], t[2], 0, 0, 0, 1};
  }

  @Override
  public double[] rotation() {
    return rotation.clone();
  }

  @Override
  public double[] translation() {
    return translation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RigidTransform other && Arrays.equals(rotation, other.rotation)
        && Arrays.equals(translation, other.translation);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "RigidTransform[rotation %.3f deg, translation (%.2f, %.2f, %.2f) mm]",
        rotationDegrees(), translation[0], translation[1], translation[2]);
  }
}
