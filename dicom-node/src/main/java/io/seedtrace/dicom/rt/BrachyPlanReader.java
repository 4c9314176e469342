package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the planned seed positions of a brachytherapy RT Plan (PS3.3 C.8.8.15, RT Brachy Application
 * Setups): Application Setup Sequence, then Channel Sequence, then Brachy Control Point Sequence,
 * whose Control Point 3D Position gives where the source is in the plan's frame of reference.
 *
 * <p>A planning system describes each dwell (for permanent implants: each seed) as control points
 * that enter and leave the same position, so consecutive control points closer than
 * {@value #SAME_POSITION_MM} mm are one position. A channel keeps each distinct position once, in
 * the order of its control points.
 *
 * <p>Plans that cannot be placed in patient coordinates are refused rather than read as empty: no
 * Frame of Reference UID (the module is optional in an RT Plan), no application setups (an external
 * beam plan), or positions given only as Control Point Relative Position (a distance along the
 * channel, which needs the channel's geometry that the plan does not carry).
 *
 * <pre>{@code PlannedPositions planned = BrachyPlanReader.read(Part10.read(bytes).dataSet());}</pre>
 */
public final class BrachyPlanReader {

  /** Control points closer than this are the same dwell position. */
  public static final double SAME_POSITION_MM = 0.01;

  private BrachyPlanReader() {}

  /**
   * Reads a whole Part 10 file.
   *
   * @throws DicomFormatException if the bytes are not a well-formed DICOM file
   * @throws RtObjectException if the file is not a brachytherapy RT Plan with 3D positions
   */
  public static PlannedPositions read(byte[] part10File) throws DicomFormatException, RtObjectException {
    return read(Part10.read(part10File).dataSet());
  }

  /**
   * @throws RtObjectException if {@code plan} is not a brachytherapy RT Plan whose dwell positions
   *     are given in patient coordinates, with the reason
   */
  public static PlannedPositions read(DataSet plan) throws RtObjectException {
    RtAttributes.requireSopClass(plan, NodeConfig.RT_PLAN, "an RT Plan");
    String sopInstance = RtAttributes.text(plan, Tag.SOPInstanceUID).orElse("");
    String name = RtAttributes.describe("RT Plan", sopInstance);
    List<DataSet> setups = RtAttributes.items(plan, Tag.ApplicationSetupSequence, "Application Setup Sequence");
    if (setups.isEmpty()) {
      throw new RtObjectException(name
          + " has no Application Setup Sequence (300A,0230) items: it is not a brachytherapy plan");
    }
    String frame = RtAttributes.text(plan, Tag.FrameOfReferenceUID).orElseThrow(() -> new RtObjectException(
        name + " has no Frame of Reference UID (0020,0052): its positions cannot be related to the CT"));
    List<double[]> positions = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    boolean relativeOnly = false;
    for (int s = 0; s < setups.size(); s++) {
      DataSet setup = setups.get(s);
      String setupName = "application setup item " + (s + 1);
      int setupNumber = RtAttributes.integer(setup, Tag.ApplicationSetupNumber,
          "Application Setup Number of " + setupName).orElse(s + 1);
      List<DataSet> channels = RtAttributes.items(setup, Tag.ChannelSequence, "Channel Sequence of " + setupName);
      for (int c = 0; c < channels.size(); c++) {
        DataSet channel = channels.get(c);
        int channelNumber = RtAttributes.integer(channel, Tag.ChannelNumber,
            "Channel Number of " + setupName + " channel item " + (c + 1)).orElse(c + 1);
        String label = "setup " + setupNumber + " channel " + channelNumber;
        List<DataSet> points = RtAttributes.items(channel, Tag.BrachyControlPointSequence,
            "Brachy Control Point Sequence of " + label);
        DistinctPositions distinct = new DistinctPositions(SAME_POSITION_MM);
        for (int k = 0; k < points.size(); k++) {
          DataSet point = points.get(k);
          double[] xyz = RtAttributes.position(point, Tag.ControlPoint3DPosition,
              "Control Point 3D Position of " + label + " control point " + (k + 1));
          if (xyz.length == 0) {
            relativeOnly |= point.contains(Tag.ControlPointRelativePosition);
            continue;
          }
          distinct.add(xyz);
        }
        for (double[] p : distinct.inOrder()) {
          positions.add(p);
          labels.add(label);
        }
      }
    }
    if (positions.isEmpty()) {
      throw new RtObjectException(name + " gives no Control Point 3D Position (300A,02D4)"
          + (relativeOnly
              ? ": its control points have only Control Point Relative Position (300A,02D2), a distance along the"
                  + " channel that cannot be placed in patient coordinates; export the plan with 3D positions"
              : " in any channel"));
    }
    return new PlannedPositions(frame, sopInstance, NodeConfig.RT_PLAN, PlannedPositions.SourceKind.RT_PLAN,
        positions, labels);
  }
}
