package io.seedtrace.dicom.rt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The seed positions a planning object prescribes, in the patient coordinates (mm) of one frame of
 * reference, with the instance they came from. The post-implant comparison needs nothing more: the
 * frame of reference decides whether a registration is needed before positions can be compared
 * with the seeds found in the CT, and the SOP instance is what a report cites.
 *
 * <p>Immutable: the position arrays are copied in and out, so a caller cannot move a planned seed
 * after reading it.
 *
 * @param frameOfReferenceUid the frame of reference the positions are given in
 * @param sopInstanceUid the RT Plan or RT Structure Set instance read (may be empty if it had none)
 * @param sopClassUid its SOP class
 * @param sourceKind which kind of object the positions were read from
 * @param positions x, y, z in mm per position, in the order of the object
 * @param labels for each position, where in the object it came from (channel or ROI name)
 */
public record PlannedPositions(String frameOfReferenceUid, String sopInstanceUid, String sopClassUid,
    SourceKind sourceKind, List<double[]> positions, List<String> labels) {

  /** The kind of object positions were read from. */
  public enum SourceKind {
    /** Dwell positions of a brachytherapy RT Plan. */
    RT_PLAN,
    /** POINT contours of an RT Structure Set. */
    RT_STRUCTURE_SET
  }

  public PlannedPositions {
    Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
    Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    Objects.requireNonNull(sopClassUid, "sopClassUid");
    Objects.requireNonNull(sourceKind, "sourceKind");
    positions = copy(positions);
    labels = List.copyOf(labels);
    if (positions.size() != labels.size()) {
      throw new IllegalArgumentException(positions.size() + " positions but " + labels.size() + " labels");
    }
  }

  /** Copies of the positions; changing them does not change this object. */
  @Override
  public List<double[]> positions() {
    return copy(positions);
  }

  /** A copy of position {@code index}. */
  public double[] position(int index) {
    return positions.get(index).clone();
  }

  public int size() {
    return positions.size();
  }

  private static List<double[]> copy(List<double[]> positions) {
    List<double[]> out = new ArrayList<>(positions.size());
    for (double[] p : positions) {
      if (p == null || p.length != 3) {
        throw new IllegalArgumentException("A position has x, y and z");
      }
      if (!Double.isFinite(p[0]) || !Double.isFinite(p[1]) || !Double.isFinite(p[2])) {
        throw new IllegalArgumentException("A position must be finite");
      }
      out.add(p.clone());
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "PlannedPositions[" + sourceKind + " " + sopInstanceUid + ", " + positions.size()
        + " positions in frame of reference " + frameOfReferenceUid + "]";
  }
}
