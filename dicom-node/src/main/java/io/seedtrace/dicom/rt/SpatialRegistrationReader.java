package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Spatial Registration instance (PS3.3 C.20.2) into a {@link SpatialRegistration}: its own
 * Frame of Reference UID, and per Registration Sequence item the registered frame and the matrix
 * of Matrix Registration Sequence, then Matrix Sequence.
 *
 * <p>Only rigid registrations are accepted, because moving planned seed positions by a scaling,
 * shearing or deformable transform would change the distances the comparison reports. The matrix
 * type must be RIGID or RIGID_SCALE, and the values must be what the type promises: for RIGID an
 * orthonormal rotation (no reflection), for RIGID_SCALE mutually orthogonal axes. A matrix that
 * claims to be rigid but is not is refused, as are matrices split over several Matrix Sequence
 * items (rare, and their order of multiplication is easy to get wrong; the registration should be
 * exported as one matrix).
 *
 * <p>Items that identify their data only by images (no Frame of Reference UID) cannot relate frames
 * and are skipped; a registration left with no frame at all is refused.
 *
 * <pre>{@code SpatialRegistration reg = SpatialRegistrationReader.read(Part10.read(bytes).dataSet());}</pre>
 */
public final class SpatialRegistrationReader {

  /** How far a RIGID matrix may be from orthonormal (values are often rounded to a few decimals). */
  static final double ORTHONORMAL_TOLERANCE = 1e-3;

  private SpatialRegistrationReader() {}

  /**
   * Reads a whole Part 10 file.
   *
   * @throws DicomFormatException if the bytes are not a well-formed DICOM file
   * @throws RtObjectException if the file is not a rigid Spatial Registration
   */
  public static SpatialRegistration read(byte[] part10File) throws DicomFormatException, RtObjectException {
    return read(Part10.read(part10File).dataSet());
  }

  /**
   * @throws RtObjectException if {@code registration} is not a Spatial Registration whose matrices
   *     are rigid and relate at least one frame of reference, with the reason
   */
  public static SpatialRegistration read(DataSet registration) throws RtObjectException {
    RtAttributes.requireSopClass(registration, NodeConfig.SPATIAL_REGISTRATION, "a Spatial Registration");
    String sopInstance = RtAttributes.text(registration, Tag.SOPInstanceUID).orElse("");
    String name = RtAttributes.describe("Spatial Registration", sopInstance);
    String target = RtAttributes.text(registration, Tag.FrameOfReferenceUID).orElseThrow(() ->
        new RtObjectException(name + " has no Frame of Reference UID (0020,0052) of its own"));
    List<DataSet> items = RtAttributes.items(registration, Tag.RegistrationSequence, "Registration Sequence");
    Map<String, double[]> matrices = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      DataSet item = items.get(i);
      String where = "registration item " + (i + 1);
      String frame = RtAttributes.text(item, Tag.FrameOfReferenceUID).orElse(null);
      if (frame == null) {
        continue;
      }
      where += " (frame " + frame + ")";
      double[] matrix = matrixOf(item, where);
      double[] earlier = matrices.putIfAbsent(frame, matrix);
      if (earlier != null && !Arrays.equals(earlier, matrix)) {
        throw new RtObjectException(name + " registers frame " + frame + " twice with different matrices");
      }
    }
    if (matrices.isEmpty()) {
      throw new RtObjectException(name + " has no Registration Sequence (0070,0308) item with a Frame of Reference UID:"
          + " it relates no frames of reference");
    }
    return new SpatialRegistration(target, matrices);
  }

  private static double[] matrixOf(DataSet item, String where) throws RtObjectException {
    List<DataSet> registrations = RtAttributes.items(item, Tag.MatrixRegistrationSequence,
        "Matrix Registration Sequence of " + where);
    if (registrations.size() != 1) {
      throw new RtObjectException("Matrix Registration Sequence (0070,0309) of " + where + " has "
          + registrations.size() + " items, exactly 1 expected");
    }
    List<DataSet> matrixItems = RtAttributes.items(registrations.get(0), Tag.MatrixSequence,
        "Matrix Sequence of " + where);
    if (matrixItems.size() != 1) {
      throw new RtObjectException("Matrix Sequence (0070,030A) of " + where + " has " + matrixItems.size()
          + " items; only a registration given as a single matrix is supported");
    }
    DataSet matrixItem = matrixItems.get(0);
    String type = RtAttributes.text(matrixItem, Tag.FrameOfReferenceTransformationMatrixType).orElse("");
    if (!type.equals("RIGID") && !type.equals("RIGID_SCALE")) {
      throw new RtObjectException("Frame of Reference Transformation Matrix Type (0070,030C) of " + where + " is '"
          + type + "': only RIGID and RIGID_SCALE registrations can be used to compare seed positions");
    }
    double[] m = RtAttributes.decimals(matrixItem, Tag.FrameOfReferenceTransformationMatrix,
        "Frame of Reference Transformation Matrix of " + where);
    if (m.length != 16) {
      throw new RtObjectException("Frame of Reference Transformation Matrix (3006,00C6) of " + where + " has "
          + m.length + " values, 16 expected");
    }
    String problem = SpatialRegistration.problemWith(m);
    if (problem == null) {
      problem = type.equals("RIGID") ? notRigid(m) : notRigidScale(m);
    }
    if (problem != null) {
      throw new RtObjectException("Frame of Reference Transformation Matrix (3006,00C6) of " + where + " (" + type
          + "): " + problem);
    }
    return m;
  }

  /** Why the 3x3 part of {@code m} is not a rotation, or null. */
  private static String notRigid(double[] m) {
    for (int a = 0; a < 3; a++) {
      for (int b = a; b < 3; b++) {
        double dot = m[a] * m[b] + m[4 + a] * m[4 + b] + m[8 + a] * m[8 + b];
        if (Math.abs(dot - (a == b ? 1 : 0)) > ORTHONORMAL_TOLERANCE) {
          return "the rotation part is not orthonormal (it scales or shears)";
        }
      }
    }
    if (SpatialRegistration.determinant3(m) < 0) {
      return "the rotation part mirrors (determinant -1)";
    }
    return null;
  }

  /** Why the 3x3 part of {@code m} is not a rotation with scaling, or null. */
  private static String notRigidScale(double[] m) {
    boolean columnsOrthogonal = orthogonal(m, 1, 4);
    boolean rowsOrthogonal = orthogonal(m, 4, 1);
    if (!columnsOrthogonal && !rowsOrthogonal) {
      return "the axes are not orthogonal (it shears)";
    }
    return null;
  }

  /**
   * Whether the three vectors {@code v_a = (m[a * vectorStride + k * elementStride], k = 0..2)} are
   * mutually orthogonal, relative to their lengths: columns with strides (1, 4), rows with (4, 1).
   */
  private static boolean orthogonal(double[] m, int vectorStride, int elementStride) {
    for (int a = 0; a < 3; a++) {
      for (int b = a + 1; b < 3; b++) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < 3; k++) {
          double va = m[a * vectorStride + k * elementStride];
          double vb = m[b * vectorStride + k * elementStride];
          dot += va * vb;
          na += va * va;
          nb += vb * vb;
        }
        if (Math.abs(dot) > ORTHONORMAL_TOLERANCE * Math.sqrt(na * nb)) {
          return false;
        }
      }
    }
    return true;
  }
}
