package io.seedtrace.dicom.rt;

import java.util.ArrayList;
import java.util.List;

/**
 * The delineated structures of an RT Structure Set: per ROI its number, name and closed planar
 * contours (each the Contour Data x, y, z triplets in mm), all in one frame of reference.
 *
 * @param frameOfReferenceUid the frame the contours are in
 * @param sopInstanceUid the structure set's SOP Instance UID
 * @param rois the ROIs that have at least one CLOSED_PLANAR contour, in the order of the file
 */
public record StructureSetContours(String frameOfReferenceUid, String sopInstanceUid, List<Roi> rois) {

  public StructureSetContours {
    rois = List.copyOf(rois);
  }

  /**
   * One ROI.
   *
   * @param number ROI Number, as the structure set's other sequences (and an RT Dose's DVHs) refer to it
   * @param name ROI Name
   * @param contours each contour's points x0, y0, z0, x1, ...; copied in and out
   */
  public record Roi(int number, String name, List<double[]> contours) {

    public Roi {
      List<double[]> copy = new ArrayList<>(contours.size());
      contours.forEach(c -> copy.add(c.clone()));
      contours = List.copyOf(copy);
    }

    @Override
    public List<double[]> contours() {
      return contours.stream().map(double[]::clone).toList();
    }
  }
}
