package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads the point markers of an RT Structure Set (PS3.3 C.8.8.5 and C.8.8.6): every contour of
 * geometric type POINT in the ROI Contour Sequence, labelled with the name its ROI has in the
 * Structure Set ROI Sequence. Planning systems that export seed positions as structures (and
 * SeedTrace itself, see {@link StructureSetWriter}) write one POINT ROI per seed; organ outlines
 * (CLOSED_PLANAR and other types) say nothing about seeds and are skipped.
 *
 * <p>All points must lie in one frame of reference. It is the Referenced Frame of Reference UID of
 * the ROIs that hold points; when they do not state one, the single frame the structure set declares
 * (Referenced Frame of Reference Sequence, or the Frame of Reference module of newer editions).
 * Points spread over several frames, a frame the structure set does not declare, or no frame at all
 * are refused: comparing such points with a CT would be comparing unrelated coordinates.
 *
 * <pre>{@code PlannedPositions markers = StructureSetPointReader.read(Part10.read(bytes).dataSet());}</pre>
 */
public final class StructureSetPointReader {

  private StructureSetPointReader() {}

  private record Roi(String name, String frame) {}

  /**
   * Reads a whole Part 10 file.
   *
   * @throws DicomFormatException if the bytes are not a well-formed DICOM file
   * @throws RtObjectException if the file is not an RT Structure Set with POINT ROIs in one frame
   */
  public static PlannedPositions read(byte[] part10File) throws DicomFormatException, RtObjectException {
    return read(Part10.read(part10File).dataSet());
  }

  /**
   * @throws RtObjectException if {@code structureSet} is not an RT Structure Set, holds no POINT
   *     contour, or its points cannot be placed in one frame of reference, with the reason
   */
  public static PlannedPositions read(DataSet structureSet) throws RtObjectException {
    RtAttributes.requireSopClass(structureSet, NodeConfig.RT_STRUCTURE_SET, "an RT Structure Set");
    String sopInstance = RtAttributes.text(structureSet, Tag.SOPInstanceUID).orElse("");
    String name = RtAttributes.describe("RT Structure Set", sopInstance);

    Set<String> declaredFrames = new LinkedHashSet<>();
    RtAttributes.text(structureSet, Tag.FrameOfReferenceUID).ifPresent(declaredFrames::add);
    for (DataSet item : RtAttributes.items(structureSet, Tag.ReferencedFrameOfReferenceSequence,
        "Referenced Frame of Reference Sequence")) {
      RtAttributes.text(item, Tag.FrameOfReferenceUID).ifPresent(declaredFrames::add);
    }

    Map<Integer, Roi> rois = new HashMap<>();
    List<DataSet> roiItems = RtAttributes.items(structureSet, Tag.StructureSetROISequence,
        "Structure Set ROI Sequence");
    for (int i = 0; i < roiItems.size(); i++) {
      DataSet item = roiItems.get(i);
      OptionalInt number = RtAttributes.integer(item, Tag.ROINumber, "ROI Number of structure set ROI item " + (i + 1));
      if (number.isPresent()) {
        rois.putIfAbsent(number.getAsInt(), new Roi(RtAttributes.text(item, Tag.ROIName).orElse(""),
            RtAttributes.text(item, Tag.ReferencedFrameOfReferenceUID).orElse("")));
      }
    }

    List<double[]> positions = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    Set<String> pointFrames = new LinkedHashSet<>();
    List<DataSet> contourItems = RtAttributes.items(structureSet, Tag.ROIContourSequence, "ROI Contour Sequence");
    for (int i = 0; i < contourItems.size(); i++) {
      DataSet roiContour = contourItems.get(i);
      OptionalInt number = RtAttributes.integer(roiContour, Tag.ReferencedROINumber,
          "Referenced ROI Number of ROI contour item " + (i + 1));
      Roi roi = number.isPresent() ? rois.get(number.getAsInt()) : null;
      String label = roi != null && !roi.name().isEmpty() ? roi.name()
          : number.isPresent() ? "ROI " + number.getAsInt() : "ROI contour item " + (i + 1);
      List<DataSet> contours = RtAttributes.items(roiContour, Tag.ContourSequence, "Contour Sequence of " + label);
      for (int k = 0; k < contours.size(); k++) {
        DataSet contour = contours.get(k);
        if (!"POINT".equals(RtAttributes.text(contour, Tag.ContourGeometricType).orElse(""))) {
          continue;
        }
        String what = "Contour Data of POINT contour " + (k + 1) + " of " + label;
        double[] xyz = RtAttributes.position(contour, Tag.ContourData, what);
        if (xyz.length == 0) {
          throw new RtObjectException(what + " (3006,0050) is missing");
        }
        positions.add(xyz);
        labels.add(label);
        if (roi != null && !roi.frame().isEmpty()) {
          pointFrames.add(roi.frame());
        }
      }
    }
    if (positions.isEmpty()) {
      throw new RtObjectException(name + " has no ROI with a POINT contour: no seed or marker positions to read");
    }
    String frame = RtAttributes.frameOf(name, "POINT ROIs", pointFrames, declaredFrames);
    return new PlannedPositions(frame, sopInstance, NodeConfig.RT_STRUCTURE_SET,
        PlannedPositions.SourceKind.RT_STRUCTURE_SET, positions, labels);
  }
}
