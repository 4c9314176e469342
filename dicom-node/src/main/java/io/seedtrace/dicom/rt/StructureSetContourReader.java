package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the organ and target outlines of an RT Structure Set (PS3.3 C.8.8.5, C.8.8.6): every
 * contour of geometric type CLOSED_PLANAR, grouped by ROI, with the ROI's name. Points and open
 * contours are skipped (seed markers are read by {@link StructureSetPointReader}).
 *
 * <p>Every value is checked ({@link RtAttributes}): a contour whose Contour Data is not a list of
 * x, y, z triplets of decimal numbers, or whose Number of Contour Points disagrees, is refused with
 * the ROI named. The total number of points is bounded ({@link #MAX_POINTS}), so a hostile file
 * cannot make the dose evaluation run without end. The outlines must be in one frame of reference,
 * found as for the points.
 *
 * <pre>{@code StructureSetContours s = StructureSetContourReader.read(Part10.read(bytes).dataSet());}</pre>
 */
public final class StructureSetContourReader {

  /** More contour points than this in one structure set are refused. */
  public static final int MAX_POINTS = 2_000_000;

  private StructureSetContourReader() {}

  /**
   * @throws RtObjectException if the data set is not an RT Structure Set, has no closed planar
   *     contour, a contour is malformed, there are too many points, or the frame of reference is not one
   */
  public static StructureSetContours read(DataSet structureSet) throws RtObjectException {
    RtAttributes.requireSopClass(structureSet, NodeConfig.RT_STRUCTURE_SET, "an RT Structure Set");
    String sopInstance = RtAttributes.text(structureSet, Tag.SOPInstanceUID).orElse("");
    String name = RtAttributes.describe("RT Structure Set", sopInstance);
    Set<String> declared = new LinkedHashSet<>();
    RtAttributes.text(structureSet, Tag.FrameOfReferenceUID).ifPresent(declared::add);
    for (DataSet item : RtAttributes.items(structureSet, Tag.ReferencedFrameOfReferenceSequence,
        "Referenced Frame of Reference Sequence")) {
      RtAttributes.text(item, Tag.FrameOfReferenceUID).ifPresent(declared::add);
    }
    Map<Integer, String[]> rois = new HashMap<>(); // number -> name, frame
    for (DataSet item : RtAttributes.items(structureSet, Tag.StructureSetROISequence, "Structure Set ROI Sequence")) {
      OptionalInt number = RtAttributes.integer(item, Tag.ROINumber, "ROI Number");
      if (number.isPresent()) {
        rois.putIfAbsent(number.getAsInt(), new String[] {RtAttributes.text(item, Tag.ROIName).orElse(""),
            RtAttributes.text(item, Tag.ReferencedFrameOfReferenceUID).orElse("")});
      }
    }
    List<StructureSetContours.Roi> out = new ArrayList<>();
    Set<String> frames = new LinkedHashSet<>();
    int points = 0;
    for (DataSet roiContour : RtAttributes.items(structureSet, Tag.ROIContourSequence, "ROI Contour Sequence")) {
      OptionalInt number = RtAttributes.integer(roiContour, Tag.ReferencedROINumber, "Referenced ROI Number");
      if (number.isEmpty()) {
        continue;
      }
      String[] roi = rois.getOrDefault(number.getAsInt(), new String[] {"", ""});
      String label = roi[0].isEmpty() ? "ROI " + number.getAsInt() : roi[0];
      List<double[]> contours = new ArrayList<>();
      for (DataSet contour : RtAttributes.items(roiContour, Tag.ContourSequence, "Contour Sequence of " + label)) {
        if (!"CLOSED_PLANAR".equals(RtAttributes.text(contour, Tag.ContourGeometricType).orElse(""))) {
          continue;
        }
        double[] xyz = contourData(contour, label);
        points += xyz.length / 3;
        if (points > MAX_POINTS) {
          throw new RtObjectException(name + " has more than " + MAX_POINTS + " contour points");
        }
        contours.add(xyz);
      }
      if (!contours.isEmpty()) {
        out.add(new StructureSetContours.Roi(number.getAsInt(), label, contours));
        if (!roi[1].isEmpty()) {
          frames.add(roi[1]);
        }
      }
    }
    if (out.isEmpty()) {
      throw new RtObjectException(name + " has no CLOSED_PLANAR contour: no organ or target outline to read");
    }
    return new StructureSetContours(RtAttributes.frameOf(name, "contours", frames, declared), sopInstance, out);
  }

  private static double[] contourData(DataSet contour, String label) throws RtObjectException {
    String what = "Contour Data of a closed contour of " + label;
    double[] xyz = RtAttributes.decimals(contour, Tag.ContourData, what);
    if (xyz.length < 9 || xyz.length % 3 != 0) {
      throw new RtObjectException(RtAttributes.name(Tag.ContourData, what) + ": " + xyz.length
          + " values, at least 3 points of x, y, z expected");
    }
    OptionalInt declared = RtAttributes.integer(contour, Tag.NumberOfContourPoints, "Number of Contour Points of "
        + label);
    if (declared.isPresent() && declared.getAsInt() != xyz.length / 3) {
      throw new RtObjectException(what + ": Number of Contour Points says " + declared.getAsInt() + ", the data hold "
          + xyz.length / 3);
    }
    for (double v : xyz) {
      if (Math.abs(v) > RtAttributes.MAX_COORDINATE_MM) {
        throw new RtObjectException(RtAttributes.name(Tag.ContourData, what) + ": " + v + " mm is not a patient coordinate");
      }
    }
    return xyz;
  }
}
