package io.seedtrace.dicom.spool;

import java.nio.file.Path;
import java.util.List;

/**
 * A series received no new instance for the quiet time. {@code update} is true when an earlier
 * event for the same series was already delivered and late instances arrived since;
 * {@code completeness} says whether the series looks whole or what is missing.
 */
public record SeriesStableEvent(String studyUid, String seriesUid, String frameOfReferenceUid, String modality,
    String sopClassUid, String patientId, String accessionNumber, int instanceCount, List<Path> paths,
    boolean update, SeriesCompleteness completeness) {

  public SeriesStableEvent {
    paths = List.copyOf(paths);
  }

  /** An event for a series not known to be incomplete. */
  public SeriesStableEvent(String studyUid, String seriesUid, String frameOfReferenceUid, String modality,
      String sopClassUid, String patientId, String accessionNumber, int instanceCount, List<Path> paths,
      boolean update) {
    this(studyUid, seriesUid, frameOfReferenceUid, modality, sopClassUid, patientId, accessionNumber, instanceCount,
        paths, update, SeriesCompleteness.whole());
  }
}
