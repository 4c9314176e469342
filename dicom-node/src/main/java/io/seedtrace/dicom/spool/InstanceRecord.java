package io.seedtrace.dicom.spool;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Tag;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One stored instance as indexed: where it is and the attributes series events need.
 *
 * @param instanceNumber Instance Number (0020,0013), if present
 * @param slicePosition position of an image along its slice normal (mm): Image Position (Patient)
 *     projected on the cross product of the Image Orientation (Patient) rows and columns, if both present
 */
public record InstanceRecord(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
    String modality, String patientId, String accessionNumber, String frameOfReferenceUid, Path path,
    OptionalInt instanceNumber, OptionalDouble slicePosition) {

  /** The record of a data set (its header is enough) stored at {@code path}. */
  static InstanceRecord of(DataSet header, Path path) {
    OptionalInt number = header.getInt(Tag.InstanceNumber).map(OptionalInt::of).orElse(OptionalInt.empty());
    return new InstanceRecord(header.getString(Tag.StudyInstanceUID, ""), header.getString(Tag.SeriesInstanceUID, ""),
        header.getString(Tag.SOPInstanceUID, ""), header.getString(Tag.SOPClassUID, ""),
        clean(header.getString(Tag.Modality, "")), clean(header.getString(Tag.PatientID, "")),
        clean(header.getString(Tag.AccessionNumber, "")), clean(header.getString(Tag.FrameOfReferenceUID, "")), path,
        number, slicePosition(header.getDoubles(Tag.ImageOrientationPatient), header.getDoubles(Tag.ImagePositionPatient)));
  }

  static OptionalDouble slicePosition(double[] orientation, double[] position) {
    if (orientation.length != 6 || position.length != 3) {
      return OptionalDouble.empty();
    }
    double nx = orientation[1] * orientation[5] - orientation[2] * orientation[4];
    double ny = orientation[2] * orientation[3] - orientation[0] * orientation[5];
    double nz = orientation[0] * orientation[4] - orientation[1] * orientation[3];
    return OptionalDouble.of(position[0] * nx + position[1] * ny + position[2] * nz);
  }

  /** One tab-separated index line (no tabs can occur in these values). */
  String toIndexLine() {
    return String.join("\t", studyUid, seriesUid, sopInstanceUid, sopClassUid, modality, patientId,
        accessionNumber, frameOfReferenceUid, path.toString(),
        instanceNumber.isPresent() ? Integer.toString(instanceNumber.getAsInt()) : "",
        slicePosition.isPresent() ? String.format(Locale.ROOT, "%.4f", slicePosition.getAsDouble()) : "");
  }

  /** Reads an index line; lines written before instance number and position were kept have 9 fields. */
  static InstanceRecord fromIndexLine(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 9 && f.length != 11) {
      throw new IllegalArgumentException("index line has " + f.length + " fields, 9 or 11 expected");
    }
    OptionalInt number = f.length == 11 && !f[9].isEmpty() ? OptionalInt.of(Integer.parseInt(f[9])) : OptionalInt.empty();
    OptionalDouble position = f.length == 11 && !f[10].isEmpty() ? OptionalDouble.of(Double.parseDouble(f[10]))
        : OptionalDouble.empty();
    return new InstanceRecord(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], Path.of(f[8]), number, position);
  }

  private static String clean(String value) {
    return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
