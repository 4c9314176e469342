package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a computed dose as an RT Dose object (PS3.3 A.18): a 3-D dose grid in Gy (32-bit unsigned
 * pixels times Dose Grid Scaling), axis-aligned in the CT's frame of reference, Dose Type PHYSICAL,
 * Dose Summation Type PLAN, and a cumulative DVH per structure (RT DVH module) that refers to the
 * ROIs of the RT Structure Set the dose was evaluated on. It joins the CT's study in a series of its
 * own, so a PACS or planning system shows it over the CT with the structures.
 *
 * <p>The Referenced RT Plan Sequence, which the standard asks for with summation type PLAN, is
 * written only when the plan's UID is given: a post-implant dose is computed from the seeds found,
 * not from a plan object.
 *
 * <pre>{@code byte[] file = RtDoseWriter.write(input); storeScu.store(file);}</pre>
 */
public final class RtDoseWriter {

  /** RT Dose Storage. */
  public static final String SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.481.2";
  static final String RT_PLAN_STORAGE = "1.2.840.10008.5.1.4.1.1.481.5";
  static final String RT_STRUCTURE_SET_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3";

  static final int DVH_TYPE = 0x30040001;
  static final int DOSE_UNITS = 0x30040002;
  static final int DOSE_TYPE = 0x30040004;
  static final int DOSE_COMMENT = 0x30040006;
  static final int DOSE_SUMMATION_TYPE = 0x3004000A;
  static final int GRID_FRAME_OFFSET_VECTOR = 0x3004000C;
  static final int DOSE_GRID_SCALING = 0x3004000E;
  static final int DVH_SEQUENCE = 0x30040050;
  static final int DVH_DOSE_SCALING = 0x30040052;
  static final int DVH_VOLUME_UNITS = 0x30040054;
  static final int DVH_NUMBER_OF_BINS = 0x30040056;
  static final int DVH_DATA = 0x30040058;
  static final int DVH_REFERENCED_ROI_SEQUENCE = 0x30040060;
  static final int DVH_ROI_CONTRIBUTION_TYPE = 0x30040062;
  static final int DVH_MINIMUM_DOSE = 0x30040070;
  static final int DVH_MAXIMUM_DOSE = 0x30040072;
  static final int DVH_MEAN_DOSE = 0x30040074;
  static final int REFERENCED_RT_PLAN_SEQUENCE = 0x300C0002;
  static final int REFERENCED_STRUCTURE_SET_SEQUENCE = 0x300C0060;
  static final int FRAME_INCREMENT_POINTER = 0x00280009;
  static final int CONTENT_TIME = 0x00080033;

  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
  /** Largest pixel value used: the scaling maps the maximum dose onto it. */
  private static final long MAX_PIXEL = 0xFFFF_FFF0L;

  private RtDoseWriter() {}

  /**
   * A cumulative DVH of one ROI of the referenced structure set.
   *
   * @param roiNumber the ROI Number in the structure set
   * @param binGy width of every bin, Gy
   * @param volumesCc element b: volume receiving at least b * binGy, cm^3 (element 0 the whole ROI)
   */
  public record Dvh(int roiNumber, double binGy, double[] volumesCc, double minGy, double maxGy, double meanGy) {

    public Dvh {
      if (!(binGy > 0) || volumesCc.length == 0 || volumesCc.length > 1000) {
        throw new IllegalArgumentException("a DVH needs a positive bin width and 1-1000 bins, got " + binGy + " Gy, "
            + volumesCc.length);
      }
      volumesCc = volumesCc.clone();
    }
  }

  /**
   * What the RT Dose holds.
   *
   * @param originMm centre of the first voxel (x, y, z, mm)
   * @param spacingMm voxel size, the same on every axis
   * @param doseGy one value per voxel, x fastest, then y, then z (the DoseGrid order)
   * @param structureSetUid the SOP Instance UID of the RT Structure Set the DVHs refer to (required with DVHs)
   * @param planUid the RT Plan it belongs to, or null
   */
  public record Input(String patientName, String patientId, String studyInstanceUid, String frameOfReferenceUid,
      String accessionNumber, double[] originMm, double spacingMm, int nx, int ny, int nz, float[] doseGy,
      String structureSetUid, String planUid, List<Dvh> dvhs, String comment) {

    public Input {
      patientName = Objects.requireNonNullElse(patientName, "");
      patientId = Objects.requireNonNullElse(patientId, "");
      accessionNumber = Objects.requireNonNullElse(accessionNumber, "");
      comment = Objects.requireNonNullElse(comment, "");
      Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
      Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
      if (originMm == null || originMm.length != 3 || !(spacingMm > 0) || nx < 1 || ny < 1 || nz < 1
          || nx > 65535 || ny > 65535 || doseGy == null || doseGy.length != (long) nx * ny * nz) {
        throw new IllegalArgumentException("dose grid geometry does not match its values");
      }
      dvhs = List.copyOf(dvhs);
      if (!dvhs.isEmpty() && (structureSetUid == null || structureSetUid.isBlank())) {
        throw new IllegalArgumentException("DVHs need the structure set they refer to");
      }
    }
  }

  /** The RT Dose as a Part 10 file in Explicit VR Little Endian, with new series and instance UIDs. */
  public static byte[] write(Input in) {
    return write(in, Clock.systemDefaultZone());
  }

  public static byte[] write(Input in, Clock clock) {
    return Part10.toBytes(dataSet(in, clock), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /** The RT Dose data set. */
  public static DataSet dataSet(Input in, Clock clock) {
    LocalDateTime now = LocalDateTime.now(clock);
    DataSet ds = RtAttributes.newInstance(SOP_CLASS_UID, "RTDOSE", "SeedTrace post-implant dose (TG-43)", in.patientName(),
        in.patientId(), in.studyInstanceUid(), in.accessionNumber(), in.frameOfReferenceUid(), now);
    ds.putString(Tag.ContentDate, Vr.DA, now.format(DA));
    ds.putString(CONTENT_TIME, Vr.TM, now.format(TM));
    image(ds, in);
    dose(ds, in);
    if (!in.dvhs().isEmpty()) {
      dvhs(ds, in);
    }
    return ds;
  }

  private static void image(DataSet ds, Input in) {
    double h = in.spacingMm();
    double[] o = in.originMm();
    ds.putString(Tag.ImagePositionPatient, Vr.DS, RtAttributes.decimalStrings(o[0], o[1], o[2]));
    ds.putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0");
    ds.putString(Tag.PixelSpacing, Vr.DS, RtAttributes.decimalStrings(h, h));
    ds.putString(Tag.SliceThickness, Vr.DS, RtAttributes.decimalString(h));
    ds.putUS(Tag.SamplesPerPixel, 1);
    ds.putString(Tag.PhotometricInterpretation, Vr.CS, "MONOCHROME2");
    ds.putString(Tag.NumberOfFrames, Vr.IS, Integer.toString(in.nz()));
    ds.put(Element.ofValue(FRAME_INCREMENT_POINTER, Vr.AT, new byte[] {0x04, 0x30, 0x0C, 0x00}));
    ds.putUS(Tag.Rows, in.ny());
    ds.putUS(Tag.Columns, in.nx());
    ds.putUS(Tag.BitsAllocated, 32);
    ds.putUS(Tag.BitsStored, 32);
    ds.putUS(Tag.HighBit, 31);
    ds.putUS(Tag.PixelRepresentation, 0);
    double[] offsets = new double[in.nz()];
    for (int k = 0; k < offsets.length; k++) {
      offsets[k] = k * h;
    }
    ds.putString(GRID_FRAME_OFFSET_VECTOR, Vr.DS, RtAttributes.decimalStrings(offsets));
  }

  private static void dose(DataSet ds, Input in) {
    float max = 0f;
    for (float v : in.doseGy()) {
      if (!Float.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("dose values must be finite and >= 0");
      }
      max = Math.max(max, v);
    }
    // the scaling as written (a Decimal String) is the one the pixels are computed with
    String scalingText = RtAttributes.decimalString(max == 0 ? 1 : max / (double) MAX_PIXEL * 1.000001);
    if (Double.parseDouble(scalingText) == 0) {
      scalingText = String.format(java.util.Locale.ROOT, "%.9E", max / (double) MAX_PIXEL * 1.000001);
    }
    double scaling = Double.parseDouble(scalingText);
    ByteBuffer pixels = ByteBuffer.allocate(4 * in.doseGy().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : in.doseGy()) {
      pixels.putInt((int) Math.min(MAX_PIXEL, Math.round(v / scaling)));
    }
    ds.putString(DOSE_UNITS, Vr.CS, "GY");
    ds.putString(DOSE_TYPE, Vr.CS, "PHYSICAL");
    ds.putString(DOSE_SUMMATION_TYPE, Vr.CS, "PLAN");
    ds.putString(DOSE_GRID_SCALING, Vr.DS, scalingText);
    if (!in.comment().isBlank()) {
      ds.putString(DOSE_COMMENT, Vr.LO, in.comment().length() > 64 ? in.comment().substring(0, 64) : in.comment());
    }
    if (in.planUid() != null && !in.planUid().isBlank()) {
      ds.put(Element.ofItems(REFERENCED_RT_PLAN_SEQUENCE, List.of(reference(RT_PLAN_STORAGE, in.planUid()))));
    }
    ds.put(Element.ofValue(Tag.PixelData, Vr.OW, pixels.array()));
  }

  private static void dvhs(DataSet ds, Input in) {
    ds.put(Element.ofItems(REFERENCED_STRUCTURE_SET_SEQUENCE,
        List.of(reference(RT_STRUCTURE_SET_STORAGE, in.structureSetUid()))));
    List<DataSet> items = new ArrayList<>();
    for (Dvh dvh : in.dvhs()) {
      double[] data = new double[2 * dvh.volumesCc().length];
      for (int b = 0; b < dvh.volumesCc().length; b++) {
        data[2 * b] = dvh.binGy();
        data[2 * b + 1] = dvh.volumesCc()[b];
      }
      DataSet roi = new DataSet().putString(Tag.ReferencedROINumber, Vr.IS, Integer.toString(dvh.roiNumber()))
          .putString(DVH_ROI_CONTRIBUTION_TYPE, Vr.CS, "INCLUDED");
      items.add(new DataSet()
          .put(Element.ofItems(DVH_REFERENCED_ROI_SEQUENCE, List.of(roi)))
          .putString(DVH_TYPE, Vr.CS, "CUMULATIVE")
          .putString(DOSE_UNITS, Vr.CS, "GY")
          .putString(DOSE_TYPE, Vr.CS, "PHYSICAL")
          .putString(DVH_DOSE_SCALING, Vr.DS, "1")
          .putString(DVH_VOLUME_UNITS, Vr.CS, "CM3")
          .putString(DVH_NUMBER_OF_BINS, Vr.IS, Integer.toString(dvh.volumesCc().length))
          .putString(DVH_DATA, Vr.DS, RtAttributes.decimalStrings(data))
          .putString(DVH_MINIMUM_DOSE, Vr.DS, RtAttributes.decimalString(dvh.minGy()))
          .putString(DVH_MAXIMUM_DOSE, Vr.DS, RtAttributes.decimalString(dvh.maxGy()))
          .putString(DVH_MEAN_DOSE, Vr.DS, RtAttributes.decimalString(dvh.meanGy())));
    }
    ds.put(Element.ofItems(DVH_SEQUENCE, items));
  }

  private static DataSet reference(String sopClass, String sopInstance) {
    return new DataSet().putString(Tag.ReferencedSOPClassUID, Vr.UI, sopClass)
        .putString(Tag.ReferencedSOPInstanceUID, Vr.UI, sopInstance);
  }
}
