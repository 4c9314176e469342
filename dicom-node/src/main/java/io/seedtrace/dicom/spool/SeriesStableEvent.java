package io.seedtrace.dicom.spool;

import java.nio.file.Path;
import java.util.List;

/**
 * A series received no new instance for the quiet time. {@code update} is true when an earlier
 * event for the same series was already delivered and late instances arrived since.
 */
public record SeriesStableEvent(String studyUid, String seriesUid, String frameOfReferenceUid, String modality,
    String sopClassUid, String patientId, String accessionNumber, int instanceCount, List<Path> paths,
    boolean update) {

  public SeriesStableEvent {
    paths = List.copyOf(paths);
  }
}
