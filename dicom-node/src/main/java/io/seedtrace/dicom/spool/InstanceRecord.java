package io.seedtrace.dicom.spool;

import java.nio.file.Path;

/** One stored instance as indexed: where it is and the attributes series events need. */
public record InstanceRecord(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
    String modality, String patientId, String accessionNumber, String frameOfReferenceUid, Path path) {

  /** One tab-separated index line (no tabs can occur in these values). */
  String toIndexLine() {
    return String.join("\t", studyUid, seriesUid, sopInstanceUid, sopClassUid, modality, patientId,
        accessionNumber, frameOfReferenceUid, path.toString());
  }

  static InstanceRecord fromIndexLine(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 9) {
      throw new IllegalArgumentException("index line has " + f.length + " fields, 9 expected");
    }
    return new InstanceRecord(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], Path.of(f[8]));
  }
}
