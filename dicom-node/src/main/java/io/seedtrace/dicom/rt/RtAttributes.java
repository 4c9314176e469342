package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict access to the attributes of RT objects. {@link DataSet}'s own accessors are lenient (they
 * use {@code Double.parseDouble}, which also takes "NaN" or "1d", and throw unchecked exceptions on
 * garbage); positions that end up in a clinical comparison must instead be refused with the
 * attribute named, so every value read here is checked against its VR's syntax (PS3.5 6.2).
 */
final class RtAttributes {

  /** Decimal String: fixed or floating point, no NaN or infinity, no hex (PS3.5 Table 6.2-1). */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  /** Integer String: an optional sign and at most 12 characters in all. */
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,11}");
  private static final int DS_MAX_CHARS = 16;
  /** Patient coordinates farther than this from the origin (100 m) cannot describe a patient. */
  static final double MAX_COORDINATE_MM = 100_000;

  private RtAttributes() {}

  /** Refuses a data set whose SOP Class UID is not {@code expected}; {@code aName} is e.g. "an RT Plan". */
  static void requireSopClass(DataSet ds, String expected, String aName) throws RtObjectException {
    String sopClass = text(ds, Tag.SOPClassUID).orElse("");
    if (!expected.equals(sopClass)) {
      throw new RtObjectException("Not " + aName + ": SOP Class UID (0008,0016) is '" + sopClass + "', "
          + expected + " expected");
    }
  }

  /** A text value with padding removed; empty when absent or zero length. */
  static Optional<String> text(DataSet ds, int tag) {
    return ds.getString(tag).filter(s -> !s.isEmpty());
  }

  /**
   * The items of a sequence, empty when it is absent. A sequence that an intermediate system did
   * not know may arrive as UN with a defined length; its value is then the sequence encoded in
   * implicit VR little endian (PS3.5 6.2.2), and is decoded as such.
   *
   * @throws RtObjectException if the element holds something other than a sequence
   */
  static List<DataSet> items(DataSet ds, int tag, String what) throws RtObjectException {
    Optional<Element> found = ds.get(tag);
    if (found.isEmpty()) {
      return List.of();
    }
    Element e = found.get();
    if (e.isSequence()) {
      return e.items();
    }
    if (e.vr() == Vr.UN && e.value() != null) {
      return unknownAsSequence(tag, e.value(), what);
    }
    throw new RtObjectException(name(tag, what) + " is encoded as " + e.vr() + ", not as a sequence");
  }

  private static List<DataSet> unknownAsSequence(int tag, byte[] value, String what) throws RtObjectException {
    if (Tag.implicitVr(tag) != Vr.SQ) {
      throw new IllegalArgumentException(Tag.toString(tag) + " is not a sequence tag this package knows");
    }
    ByteBuffer wrapped = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
    wrapped.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(value.length).put(value);
    try {
      DataSet holder = DataSetReader.read(wrapped.array(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
      Optional<Element> sequence = holder.get(tag);
      if (sequence.isEmpty() || !sequence.get().isSequence()) {
        throw new RtObjectException(name(tag, what) + " (UN) does not decode as a sequence");
      }
      return sequence.get().items();
    } catch (DicomFormatException e) {
      throw new RtObjectException(name(tag, what) + " (UN) is not a well-formed sequence: " + e.getMessage(), e);
    }
  }

  /**
   * The values of a Decimal String; an empty array when the attribute is absent or empty.
   *
   * @throws RtObjectException if any value is not a finite decimal number
   */
  static double[] decimals(DataSet ds, int tag, String what) throws RtObjectException {
    Optional<String> value = text(ds, tag);
    if (value.isEmpty()) {
      return new double[0];
    }
    String[] parts = value.get().split("\\\\", -1);
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      if (!DECIMAL.matcher(p).matches()) {
        throw new RtObjectException(name(tag, what) + ": value " + (i + 1) + " '" + abbreviate(p)
            + "' is not a decimal number");
      }
      out[i] = Double.parseDouble(p);
      if (!Double.isFinite(out[i])) {
        throw new RtObjectException(name(tag, what) + ": value " + (i + 1) + " is out of range");
      }
    }
    return out;
  }

  /**
   * A position x, y, z in mm; empty array when the attribute is absent or empty.
   *
   * @throws RtObjectException if there are not exactly three decimal values, or one is absurdly large
   */
  static double[] position(DataSet ds, int tag, String what) throws RtObjectException {
    double[] xyz = decimals(ds, tag, what);
    if (xyz.length == 0) {
      return xyz;
    }
    if (xyz.length != 3) {
      throw new RtObjectException(name(tag, what) + ": " + xyz.length + " values, 3 (x, y, z) expected");
    }
    for (double v : xyz) {
      if (Math.abs(v) > MAX_COORDINATE_MM) {
        throw new RtObjectException(name(tag, what) + ": " + v + " mm is not a patient coordinate");
      }
    }
    return xyz;
  }

  /** "RT Plan 1.2.3" or just "RT Plan" when the instance has no UID, for messages. */
  static String describe(String kind, String sopInstanceUid) {
    return sopInstanceUid.isEmpty() ? kind : kind + " " + sopInstanceUid;
  }

  /**
   * The first value of an Integer String; empty when absent.
   *
   * @throws RtObjectException if the value is not an integer that fits 32 bits
   */
  static OptionalInt integer(DataSet ds, int tag, String what) throws RtObjectException {
    Optional<String> value = text(ds, tag);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    String first = value.get().split("\\\\", -1)[0].trim();
    if (!INTEGER.matcher(first).matches()) {
      throw new RtObjectException(name(tag, what) + ": '" + abbreviate(first) + "' is not an integer");
    }
    long parsed = Long.parseLong(first);
    if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
      throw new RtObjectException(name(tag, what) + ": " + first + " is out of range");
    }
    return OptionalInt.of((int) parsed);
  }

  /**
   * Formats a number as a Decimal String of at most 16 characters: six decimals (a micrometre for
   * millimetre coordinates) when they fit, fewer for larger magnitudes, exponent notation last.
   */
  static String decimalString(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("A Decimal String cannot hold " + value);
    }
    BigDecimal exact = BigDecimal.valueOf(value);
    for (int scale = 6; scale >= 0; scale--) {
      BigDecimal rounded = exact.setScale(scale, RoundingMode.HALF_EVEN).stripTrailingZeros();
      String text = rounded.signum() == 0 ? "0" : rounded.toPlainString();
      if (text.length() <= DS_MAX_CHARS) {
        return text;
      }
    }
    for (int digits = 10; digits > 0; digits--) {
      String text = String.format(java.util.Locale.ROOT, "%." + digits + "E", value);
      if (text.length() <= DS_MAX_CHARS) {
        return text;
      }
    }
    throw new IllegalArgumentException(value + " does not fit a Decimal String");
  }

  /** Decimal String of several values, separated by backslashes. */
  static String decimalStrings(double... values) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append('\\');
      }
      out.append(decimalString(values[i]));
    }
    return out.toString();
  }

  /** "what (gggg,eeee)" for messages; {@code what} names the attribute and where it was found. */
  static String name(int tag, String what) {
    return what + " " + Tag.toString(tag);
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }

  /**
   * The one frame of reference of a structure set's ROIs of one kind ({@code what}, e.g. "POINT
   * ROIs" or "contours"): the frame they refer to, which the structure set must declare when it
   * declares any, or the structure set's only declared frame when they refer to none.
   */
  static String frameOf(String name, String what, Set<String> used, Set<String> declared) throws RtObjectException {
    if (used.size() > 1) {
      throw new RtObjectException(name + " has " + what + " in " + used.size() + " frames of reference " + used
          + ": they cannot be compared as one set");
    }
    if (used.size() == 1) {
      String frame = used.iterator().next();
      if (!declared.isEmpty() && !declared.contains(frame)) {
        throw new RtObjectException(name + ": " + what + " refer to frame of reference " + frame
            + ", which the Referenced Frame of Reference Sequence (3006,0010) does not declare");
      }
      return frame;
    }
    if (declared.size() == 1) {
      return declared.iterator().next();
    }
    throw new RtObjectException(name + (declared.isEmpty()
        ? " names no frame of reference (Referenced Frame of Reference Sequence (3006,0010) or the ROIs'"
            + " Referenced Frame of Reference UID (3006,0024)): its " + what + " cannot be related to the CT"
        : " declares " + declared.size() + " frames of reference and its " + what + " do not say which is theirs"));
  }

  /**
   * A new instance of an RT object SeedTrace writes into a CT's study: SOP Common, Patient, General
   * Study, RT Series, Frame of Reference and General Equipment, with new instance and series UIDs;
   * type 2 values SeedTrace does not know are empty.
   */
  static DataSet newInstance(String sopClass, String modality, String seriesDescription, String patientName,
      String patientId, String studyUid, String accession, String frameUid, java.time.LocalDateTime now) {
    DataSet ds = new DataSet();
    ds.putString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192");
    ds.putString(Tag.InstanceCreationDate, Vr.DA, now.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
    ds.putString(Tag.InstanceCreationTime, Vr.TM, now.format(java.time.format.DateTimeFormatter.ofPattern("HHmmss")));
    ds.putString(Tag.SOPClassUID, Vr.UI, sopClass);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, StructureSetWriter.newUid());
    ds.putString(Tag.PatientName, Vr.PN, patientName);
    ds.putString(Tag.PatientID, Vr.LO, patientId);
    ds.putString(Tag.PatientBirthDate, Vr.DA, "");
    ds.putString(Tag.PatientSex, Vr.CS, "");
    ds.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    ds.putString(Tag.StudyDate, Vr.DA, "");
    ds.putString(Tag.StudyTime, Vr.TM, "");
    ds.putString(Tag.ReferringPhysicianName, Vr.PN, "");
    ds.putString(Tag.StudyID, Vr.SH, "");
    ds.putString(Tag.AccessionNumber, Vr.SH, accession);
    ds.putString(Tag.Modality, Vr.CS, modality);
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, StructureSetWriter.newUid());
    ds.putString(Tag.SeriesNumber, Vr.IS, "");
    ds.putString(Tag.SeriesDescription, Vr.LO, seriesDescription);
    ds.putString(Tag.OperatorsName, Vr.PN, "");
    ds.putString(Tag.Manufacturer, Vr.LO, "SeedTrace");
    ds.putString(Tag.FrameOfReferenceUID, Vr.UI, frameUid);
    ds.putString(Tag.PositionReferenceIndicator, Vr.LO, "");
    ds.putString(Tag.InstanceNumber, Vr.IS, "1");
    return ds;
  }
}
