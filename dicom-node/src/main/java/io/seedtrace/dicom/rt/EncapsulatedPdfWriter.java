package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a PDF document as an Encapsulated PDF instance (PS3.3 A.45.1: Patient, General Study,
 * Encapsulated Document Series, General Equipment, SC Equipment, Encapsulated Document and SOP
 * Common modules) in an existing study: the patient and study attributes are copied from the header
 * of an instance of that study, so a PACS files the document with the images it belongs to. Each
 * call makes a new series and instance.
 *
 * <pre>{@code byte[] file = EncapsulatedPdfWriter.write(ctHeader, pdf, "Seed verification report (signed)");}</pre>
 */
public final class EncapsulatedPdfWriter {

  /** Encapsulated PDF Storage. */
  public static final String SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.104.1";

  static final int CONVERSION_TYPE = 0x00080064;
  static final int CONCEPT_NAME_CODE_SEQUENCE = 0x0040A043;
  static final int ACQUISITION_DATE_TIME = 0x0008002A;
  static final int BURNED_IN_ANNOTATION = 0x00280301;
  static final int DOCUMENT_TITLE = 0x00420010;
  static final int ENCAPSULATED_DOCUMENT = 0x00420011;
  static final int MIME_TYPE = 0x00420012;
  static final int ENCAPSULATED_DOCUMENT_LENGTH = 0x00420015;
  static final int SOFTWARE_VERSIONS = 0x00181020;

  /** The patient and study attributes taken from the study's instance. */
  private static final List<Integer> COPIED = List.of(Tag.SpecificCharacterSet, Tag.PatientName, Tag.PatientID,
      Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime,
      Tag.ReferringPhysicianName, Tag.StudyID, Tag.AccessionNumber, Tag.StudyDescription);
  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private EncapsulatedPdfWriter() {}

  /** The instance as a Part 10 file in Explicit VR Little Endian. */
  public static byte[] write(DataSet studyInstance, byte[] pdf, String title) {
    return Part10.toBytes(dataSet(studyInstance, pdf, title, Clock.systemDefaultZone()),
        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /**
   * @param studyInstance the header of an instance of the study the document joins (its Study
   *     Instance UID is required)
   * @throws IllegalArgumentException without a Study Instance UID, or when the bytes are not a PDF
   */
  public static DataSet dataSet(DataSet studyInstance, byte[] pdf, String title, Clock clock) {
    if (studyInstance.getString(Tag.StudyInstanceUID, "").isBlank()) {
      throw new IllegalArgumentException("the study's instance has no Study Instance UID");
    }
    if (pdf.length < 5 || !new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("%PDF-")) {
      throw new IllegalArgumentException("not a PDF document");
    }
    LocalDateTime now = LocalDateTime.now(clock);
    DataSet ds = new DataSet();
    for (int tag : COPIED) {
      studyInstance.get(tag).ifPresent(ds::put);
    }
    type2(ds, Tag.PatientName, Vr.PN);
    type2(ds, Tag.PatientID, Vr.LO);
    type2(ds, Tag.PatientBirthDate, Vr.DA);
    type2(ds, Tag.PatientSex, Vr.CS);
    type2(ds, Tag.StudyDate, Vr.DA);
    type2(ds, Tag.StudyTime, Vr.TM);
    type2(ds, Tag.ReferringPhysicianName, Vr.PN);
    type2(ds, Tag.StudyID, Vr.SH);
    type2(ds, Tag.AccessionNumber, Vr.SH);
    ds.putString(Tag.SOPClassUID, Vr.UI, SOP_CLASS_UID);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, StructureSetWriter.newUid());
    ds.putString(Tag.InstanceCreationDate, Vr.DA, now.format(DA));
    ds.putString(Tag.InstanceCreationTime, Vr.TM, now.format(TM));
    ds.putString(Tag.Modality, Vr.CS, "DOC");
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, StructureSetWriter.newUid());
    ds.putString(Tag.SeriesNumber, Vr.IS, "9001");
    ds.putString(Tag.SeriesDescription, Vr.LO, "SeedTrace report");
    ds.putString(Tag.Manufacturer, Vr.LO, "SeedTrace");
    ds.putString(SOFTWARE_VERSIONS, Vr.LO, Part10.IMPLEMENTATION_VERSION);
    ds.putString(CONVERSION_TYPE, Vr.CS, "WSD");
    ds.putString(Tag.InstanceNumber, Vr.IS, "1");
    ds.putString(Tag.ContentDate, Vr.DA, now.format(DA));
    ds.putString(Tag.ContentTime, Vr.TM, now.format(TM));
    ds.putString(ACQUISITION_DATE_TIME, Vr.DT, now.format(DA) + now.format(TM));
    ds.putString(BURNED_IN_ANNOTATION, Vr.CS, "YES");
    ds.putString(DOCUMENT_TITLE, Vr.ST, title);
    ds.put(Element.ofItems(CONCEPT_NAME_CODE_SEQUENCE, List.of()));
    ds.putString(MIME_TYPE, Vr.LO, "application/pdf");
    ds.putUL(ENCAPSULATED_DOCUMENT_LENGTH, pdf.length);
    byte[] value = pdf.length % 2 == 0 ? pdf : java.util.Arrays.copyOf(pdf, pdf.length + 1);
    ds.put(Element.ofValue(ENCAPSULATED_DOCUMENT, Vr.OB, value));
    return ds;
  }

  private static void type2(DataSet ds, int tag, Vr vr) {
    if (!ds.contains(tag)) {
      ds.putString(tag, vr, "");
    }
  }
}
