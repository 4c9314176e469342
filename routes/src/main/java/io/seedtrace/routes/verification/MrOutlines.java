package io.seedtrace.routes.verification;

import io.seedtrace.dicom.rt.StructureSetContours;
import java.nio.file.Path;
import java.util.List;

/**
 * An MR series of the patient and the RT Structure Set outlined on it, in the MR's frame of
 * reference: what the fusion step lays onto the CT.
 *
 * @param seriesUid the MR series
 * @param files its instances (one per slice, or one Enhanced MR object)
 * @param contours the outlines, in MR patient coordinates
 */
public record MrOutlines(String seriesUid, List<Path> files, StructureSetContours contours) {

  public MrOutlines {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("an MR series needs at least one file");
    }
  }
}
