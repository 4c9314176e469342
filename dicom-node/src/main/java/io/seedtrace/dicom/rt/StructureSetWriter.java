package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes the seeds found on a post-implant CT as an RT Structure Set (PS3.3 A.19) that a PACS or
 * planning system can show over the CT: one ROI per seed, named "Seed 1", "Seed 2", ..., each with
 * a single POINT contour, generated AUTOMATIC and interpreted as MARKER.
 *
 * <p>The structure set joins the CT's study (same Study Instance UID, patient and accession number)
 * in a new series, and its points are in the CT's frame of reference. Every type 1 and type 2
 * attribute of the IOD's modules is written (Patient, General Study, RT Series, General Equipment,
 * Frame of Reference, Structure Set, ROI Contour, RT ROI Observations, SOP Common); type 2 values
 * SeedTrace does not know (birth date, sex, referring physician, study date) are written empty, as
 * the standard allows. The CT series is referenced only when its image UIDs are given, because the
 * reference must list at least one image.
 *
 * <p>Text is written in UTF-8 (Specific Character Set ISO_IR 192) so patient names pass unchanged.
 *
 * <pre>{@code
 * byte[] file = StructureSetWriter.write(new StructureSetWriter.Input(name, id, studyUid, frameUid,
 *     ctSeriesUid, accession, seedPositions, "Post-implant seed detection"));
 * storeScu.store(file);
 * }</pre>
 */
public final class StructureSetWriter {

  /** RT Structure Set Storage, for the presentation context that sends the file. */
  public static final String SOP_CLASS_UID = NodeConfig.RT_STRUCTURE_SET;
  /** ROI names are this prefix followed by the seed's 1-based number. */
  public static final String ROI_NAME_PREFIX = "Seed ";
  /** What a Study Instance UID is referenced as in RT Referenced Study Sequence (PS3.3 C.8.8.5.4). */
  static final String STUDY_REFERENCE_SOP_CLASS = "1.2.840.10008.3.1.2.3.1";

  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private StructureSetWriter() {}

  /**
   * Seeds found on a post-implant CT, with what is needed to file them next to that CT: the patient
   * and study the CT belongs to, its frame of reference (the seeds' coordinates are in it) and its
   * series.
   *
   * <p>Immutable: positions are copied in and out. {@link #toString()} leaves out the patient.
   * The constructors throw {@link IllegalArgumentException} for an invalid UID, a position that is
   * not three finite numbers, or no position at all (the IOD needs at least one ROI).
   *
   * @param patientName Patient's Name of the CT, as it was (PN); null or empty is written empty
   * @param patientId Patient ID of the CT; null or empty is written empty
   * @param studyInstanceUid the CT's study; the structure set joins it
   * @param frameOfReferenceUid the CT's frame of reference, in which {@code positions} are given
   * @param ctSeriesInstanceUid the CT series the seeds were detected on
   * @param accessionNumber Accession Number of the CT; null or empty is written empty
   * @param positions seed centres, x, y, z in mm (patient coordinates); at least one
   * @param description free text for the series and structure set description; null or empty: none
   * @param ctSopInstanceUids the CT images (CT Image Storage) the detection used; when given, the
   *     structure set references them; when empty, the reference to the CT series is left out (it
   *     cannot be written without naming at least one image)
   */
  public record Input(String patientName, String patientId, String studyInstanceUid, String frameOfReferenceUid,
      String ctSeriesInstanceUid, String accessionNumber, List<double[]> positions, String description,
      List<String> ctSopInstanceUids) {

    /** UID syntax of PS3.5 9.1: numeric components separated by dots, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    public Input {
      patientName = Objects.requireNonNullElse(patientName, "");
      patientId = Objects.requireNonNullElse(patientId, "");
      accessionNumber = Objects.requireNonNullElse(accessionNumber, "");
      description = Objects.requireNonNullElse(description, "");
      requireUid(studyInstanceUid, "studyInstanceUid");
      requireUid(frameOfReferenceUid, "frameOfReferenceUid");
      requireUid(ctSeriesInstanceUid, "ctSeriesInstanceUid");
      ctSopInstanceUids = List.copyOf(ctSopInstanceUids);
      for (String uid : ctSopInstanceUids) {
        requireUid(uid, "ctSopInstanceUids");
      }
      positions = copy(positions);
      if (positions.isEmpty()) {
        throw new IllegalArgumentException("No seed positions: an RT Structure Set needs at least one ROI");
      }
    }

    /** Without the list of CT images: the structure set will not reference the CT series. */
    public Input(String patientName, String patientId, String studyInstanceUid, String frameOfReferenceUid,
        String ctSeriesInstanceUid, String accessionNumber, List<double[]> positions, String description) {
      this(patientName, patientId, studyInstanceUid, frameOfReferenceUid, ctSeriesInstanceUid, accessionNumber,
          positions, description, List.of());
    }

    /** Copies of the positions. */
    @Override
    public List<double[]> positions() {
      return copy(positions);
    }

    private static List<double[]> copy(List<double[]> positions) {
      List<double[]> out = new ArrayList<>(positions.size());
      for (double[] p : positions) {
        if (p == null || p.length != 3
            || !Double.isFinite(p[0]) || !Double.isFinite(p[1]) || !Double.isFinite(p[2])) {
          throw new IllegalArgumentException("A seed position has three finite coordinates x, y, z");
        }
        out.add(p.clone());
      }
      return List.copyOf(out);
    }

    private static void requireUid(String uid, String name) {
      if (uid == null || uid.length() > 64 || !UID.matcher(uid).matches()) {
        throw new IllegalArgumentException(name + " is not a valid UID: " + uid);
      }
    }

    @Override
    public String toString() {
      return "StructureSetWriter.Input[" + positions.size() + " seeds in frame of reference "
          + frameOfReferenceUid + ", CT series " + ctSeriesInstanceUid + "]";
    }
  }

  /**
   * The structure set as a Part 10 file in Explicit VR Little Endian, with new series and instance
   * UIDs, dated by the system clock in the local time zone (DICOM dates and times are local).
   */
  public static byte[] write(Input seeds) {
    return write(seeds, Clock.systemDefaultZone());
  }

  /** As {@link #write(Input)}, dated by {@code clock}. */
  public static byte[] write(Input seeds, Clock clock) {
    return Part10.toBytes(dataSet(seeds, clock), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /** The structure set's data set, with new series and instance UIDs at each call. */
  public static DataSet dataSet(Input seeds, Clock clock) {
    LocalDateTime now = LocalDateTime.now(Objects.requireNonNull(clock, "clock"));
    String date = now.format(DA);
    String time = now.format(TM);
    String description = seeds.description();
    DataSet ds = new DataSet();

    // SOP Common
    ds.putString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192");
    ds.putString(Tag.InstanceCreationDate, Vr.DA, date);
    ds.putString(Tag.InstanceCreationTime, Vr.TM, time);
    ds.putString(Tag.SOPClassUID, Vr.UI, NodeConfig.RT_STRUCTURE_SET);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, newUid());
    // Patient
    ds.putString(Tag.PatientName, Vr.PN, seeds.patientName());
    ds.putString(Tag.PatientID, Vr.LO, seeds.patientId());
    ds.putString(Tag.PatientBirthDate, Vr.DA, "");
    ds.putString(Tag.PatientSex, Vr.CS, "");
    // General Study
    ds.putString(Tag.StudyInstanceUID, Vr.UI, seeds.studyInstanceUid());
    ds.putString(Tag.StudyDate, Vr.DA, "");
    ds.putString(Tag.StudyTime, Vr.TM, "");
    ds.putString(Tag.ReferringPhysicianName, Vr.PN, "");
    ds.putString(Tag.StudyID, Vr.SH, "");
    ds.putString(Tag.AccessionNumber, Vr.SH, seeds.accessionNumber());
    // RT Series
    ds.putString(Tag.Modality, Vr.CS, "RTSTRUCT");
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, newUid());
    ds.putString(Tag.SeriesNumber, Vr.IS, "");
    ds.putString(Tag.SeriesDate, Vr.DA, date);
    ds.putString(Tag.SeriesTime, Vr.TM, time);
    ds.putString(Tag.OperatorsName, Vr.PN, "");
    if (!description.isBlank()) {
      ds.putString(Tag.SeriesDescription, Vr.LO, singleValue(description, 64));
    }
    // General Equipment
    ds.putString(Tag.Manufacturer, Vr.LO, "SeedTrace");
    // Frame of Reference
    ds.putString(Tag.FrameOfReferenceUID, Vr.UI, seeds.frameOfReferenceUid());
    ds.putString(Tag.PositionReferenceIndicator, Vr.LO, "");
    // Structure Set
    ds.putString(Tag.InstanceNumber, Vr.IS, "1");
    ds.putString(Tag.StructureSetLabel, Vr.SH, "SeedTrace");
    ds.putString(Tag.StructureSetName, Vr.LO, "Detected seeds");
    if (!description.isBlank()) {
      ds.putString(Tag.StructureSetDescription, Vr.ST, clip(description, 1024));
    }
    ds.putString(Tag.StructureSetDate, Vr.DA, date);
    ds.putString(Tag.StructureSetTime, Vr.TM, time);
    ds.put(Element.ofItems(Tag.ReferencedFrameOfReferenceSequence, List.of(frameOfReference(seeds))));

    List<DataSet> rois = new ArrayList<>();
    List<DataSet> contours = new ArrayList<>();
    List<DataSet> observations = new ArrayList<>();
    List<double[]> positions = seeds.positions();
    for (int i = 0; i < positions.size(); i++) {
      String number = Integer.toString(i + 1);
      rois.add(new DataSet()
          .putString(Tag.ROINumber, Vr.IS, number)
          .putString(Tag.ReferencedFrameOfReferenceUID, Vr.UI, seeds.frameOfReferenceUid())
          .putString(Tag.ROIName, Vr.LO, ROI_NAME_PREFIX + number)
          .putString(Tag.ROIGenerationAlgorithm, Vr.CS, "AUTOMATIC")
          .putString(Tag.ROIGenerationDescription, Vr.LO, "SeedTrace seed detection on CT"));
      DataSet point = new DataSet()
          .putString(Tag.ContourNumber, Vr.IS, "1")
          .putString(Tag.ContourGeometricType, Vr.CS, "POINT")
          .putString(Tag.NumberOfContourPoints, Vr.IS, "1")
          .putString(Tag.ContourData, Vr.DS, RtAttributes.decimalStrings(positions.get(i)));
      contours.add(new DataSet()
          .putString(Tag.ROIDisplayColor, Vr.IS, "255\\255\\0")
          .put(Element.ofItems(Tag.ContourSequence, List.of(point)))
          .putString(Tag.ReferencedROINumber, Vr.IS, number));
      observations.add(new DataSet()
          .putString(Tag.ObservationNumber, Vr.IS, number)
          .putString(Tag.ReferencedROINumber, Vr.IS, number)
          .putString(Tag.RTROIInterpretedType, Vr.CS, "MARKER")
          .putString(Tag.ROIInterpreter, Vr.PN, ""));
    }
    ds.put(Element.ofItems(Tag.StructureSetROISequence, rois));
    // ROI Contour
    ds.put(Element.ofItems(Tag.ROIContourSequence, contours));
    // RT ROI Observations
    ds.put(Element.ofItems(Tag.RTROIObservationsSequence, observations));
    return ds;
  }

  private static DataSet frameOfReference(Input seeds) {
    DataSet item = new DataSet().putString(Tag.FrameOfReferenceUID, Vr.UI, seeds.frameOfReferenceUid());
    if (seeds.ctSopInstanceUids().isEmpty()) {
      return item;
    }
    List<DataSet> images = new ArrayList<>();
    for (String uid : seeds.ctSopInstanceUids()) {
      images.add(new DataSet()
          .putString(Tag.ReferencedSOPClassUID, Vr.UI, NodeConfig.CT_IMAGE)
          .putString(Tag.ReferencedSOPInstanceUID, Vr.UI, uid));
    }
    DataSet series = new DataSet()
        .putString(Tag.SeriesInstanceUID, Vr.UI, seeds.ctSeriesInstanceUid())
        .put(Element.ofItems(Tag.ContourImageSequence, images));
    DataSet study = new DataSet()
        .putString(Tag.ReferencedSOPClassUID, Vr.UI, STUDY_REFERENCE_SOP_CLASS)
        .putString(Tag.ReferencedSOPInstanceUID, Vr.UI, seeds.studyInstanceUid())
        .put(Element.ofItems(Tag.RTReferencedSeriesSequence, List.of(series)));
    return item.put(Element.ofItems(Tag.RTReferencedStudySequence, List.of(study)));
  }

  /** A UID under the 2.25 root, from a random UUID (PS3.5 B.2). */
  static String newUid() {
    UUID u = UUID.randomUUID();
    byte[] bytes = ByteBuffer.allocate(16)
        .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    return "2.25." + new BigInteger(1, bytes);
  }

  /** Free text made fit for a single-valued LO: no backslash (the value delimiter), no control characters. */
  private static String singleValue(String text, int maxChars) {
    return clip(text.replace('\\', '/'), maxChars);
  }

  private static String clip(String text, int maxChars) {
    String clean = text.replaceAll("\\p{Cntrl}", " ").strip();
    if (clean.codePointCount(0, clean.length()) <= maxChars) {
      return clean;
    }
    return clean.substring(0, clean.offsetByCodePoints(0, maxChars)).strip();
  }
}
