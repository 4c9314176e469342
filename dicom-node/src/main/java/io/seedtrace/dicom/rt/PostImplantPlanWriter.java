package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes the seeds of a permanent implant as found on the post-implant CT as a brachytherapy RT
 * Plan (PS3.3 A.20 with the RT Brachy Application Setups module, C.8.8.15): the "post-plan" that
 * post-implant dosimetry systems export. It is the plan object the RT Dose refers to when the
 * implant's own plan did not come as a DICOM RT Plan, so the dose, the structures and the seeds
 * load together into a planning system.
 *
 * <p>Each seed is a channel of its own with two control points at its centre (cumulative time
 * weight 0 and 1) and, where the detector gave one, its axis as Control Point Orientation: the
 * seeds' needles are not known after the implant. Technique PERMANENT, type LDR, setup type
 * PERINEAL (the template route of a prostate implant); the channel time is the isotope's mean life
 * (a permanent implant delivers its dose to full decay). Plan intent VERIFICATION and approval
 * status UNAPPROVED: it records what was implanted and must never be taken for a treatment plan.
 * {@link BrachyPlanReader} reads its positions back.
 */
public final class PostImplantPlanWriter {

  static final int PLAN_NAME = 0x300A0003;
  static final int PLAN_DESCRIPTION = 0x300A0004;
  static final int PLAN_INTENT = 0x300A000A;
  static final int TREATMENT_MACHINE_SEQUENCE = 0x300A0206;
  static final int TREATMENT_MACHINE_NAME = 0x300A00B2;
  static final int SOURCE_SEQUENCE = 0x300A0210;
  static final int SOURCE_NUMBER = 0x300A0212;
  static final int SOURCE_TYPE = 0x300A0214;
  static final int SOURCE_MANUFACTURER = 0x300A0216;
  static final int ACTIVE_SOURCE_LENGTH = 0x300A021A;
  static final int SOURCE_MODEL_ID = 0x300A021B;
  static final int SOURCE_ISOTOPE_NAME = 0x300A0226;
  static final int SOURCE_ISOTOPE_HALF_LIFE = 0x300A0228;
  static final int SOURCE_STRENGTH_UNITS = 0x300A0229;
  static final int REFERENCE_AIR_KERMA_RATE = 0x300A022A;
  static final int SOURCE_STRENGTH = 0x300A022B;
  static final int SOURCE_STRENGTH_REFERENCE_DATE = 0x300A022C;
  static final int SOURCE_STRENGTH_REFERENCE_TIME = 0x300A022E;
  static final int TOTAL_REFERENCE_AIR_KERMA = 0x300A0250;
  static final int CHANNEL_LENGTH = 0x300A0284;
  static final int CHANNEL_TOTAL_TIME = 0x300A0286;
  static final int TRANSFER_TUBE_NUMBER = 0x300A02A2;
  static final int CONTROL_POINT_ORIENTATION = 0x300A0412;
  static final int REFERENCED_SOURCE_NUMBER = 0x300C000E;
  static final int REFERENCED_STRUCTURE_SET_SEQUENCE = 0x300C0060;
  static final int APPROVAL_STATUS = 0x300E0002;

  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private PostImplantPlanWriter() {}

  /**
   * One seed as found.
   *
   * @param centreMm centre in patient coordinates (LPS, mm)
   * @param axis unit vector along the seed, or null where the detector could not tell
   */
  public record Seed(double[] centreMm, double[] axis) {

    public Seed {
      if (centreMm == null || centreMm.length != 3 || (axis != null && axis.length != 3)) {
        throw new IllegalArgumentException("a seed needs a 3-D centre and, if any, a 3-D axis");
      }
    }
  }

  /**
   * The source model every seed shares.
   *
   * @param isotope e.g. "I-125"
   * @param halfLifeDays the isotope's half-life
   * @param airKermaStrengthU S_K of one seed (U = uGy m^2 / h; numerically the reference air kerma
   *     rate in uGy/h at 1 m) at {@code reference}
   */
  public record Source(String model, String manufacturer, String isotope, double halfLifeDays, double activeLengthMm,
      double airKermaStrengthU, java.time.Instant reference) {

    public Source {
      Objects.requireNonNull(isotope, "isotope");
      Objects.requireNonNull(reference, "reference");
      model = Objects.requireNonNullElse(model, "");
      manufacturer = Objects.requireNonNullElse(manufacturer, "");
      if (!(halfLifeDays > 0) || !(airKermaStrengthU >= 0) || !(activeLengthMm >= 0)) {
        throw new IllegalArgumentException("half-life must be positive, strength and length not negative");
      }
    }
  }

  /**
   * What the plan holds.
   *
   * @param structureSetUid the RT Structure Set of the patient's structures (the plan's geometry is PATIENT)
   */
  public record Input(String patientName, String patientId, String studyInstanceUid, String frameOfReferenceUid,
      String accessionNumber, String structureSetUid, Source source, List<Seed> seeds) {

    public Input {
      patientName = Objects.requireNonNullElse(patientName, "");
      patientId = Objects.requireNonNullElse(patientId, "");
      accessionNumber = Objects.requireNonNullElse(accessionNumber, "");
      Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
      Objects.requireNonNull(frameOfReferenceUid, "frameOfReferenceUid");
      Objects.requireNonNull(structureSetUid, "structureSetUid");
      Objects.requireNonNull(source, "source");
      seeds = List.copyOf(seeds);
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("a post-implant plan needs at least one seed");
      }
    }
  }

  /** The plan as a Part 10 file in Explicit VR Little Endian, with new series and instance UIDs. */
  public static byte[] write(Input in, Clock clock) {
    return Part10.toBytes(dataSet(in, clock), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /** The plan's data set; its SOP Instance UID is the one an RT Dose refers to. */
  public static DataSet dataSet(Input in, Clock clock) {
    LocalDateTime now = LocalDateTime.now(clock);
    DataSet ds = RtAttributes.newInstance(NodeConfig.RT_PLAN, "RTPLAN", "SeedTrace post-implant seeds", in.patientName(),
        in.patientId(), in.studyInstanceUid(), in.accessionNumber(), in.frameOfReferenceUid(), now);
    generalPlan(ds, in, now);
    ds.putString(Tag.BrachyTreatmentTechnique, Vr.CS, "PERMANENT");
    ds.putString(Tag.BrachyTreatmentType, Vr.CS, "LDR");
    ds.put(Element.ofItems(TREATMENT_MACHINE_SEQUENCE,
        List.of(new DataSet().putString(TREATMENT_MACHINE_NAME, Vr.SH, "MANUAL SEEDS"))));
    ds.put(Element.ofItems(SOURCE_SEQUENCE, List.of(source(in.source()))));
    ds.put(Element.ofItems(Tag.ApplicationSetupSequence, List.of(setup(in))));
    ds.putString(APPROVAL_STATUS, Vr.CS, "UNAPPROVED");
    return ds;
  }

  private static void generalPlan(DataSet ds, Input in, LocalDateTime now) {
    ds.putString(Tag.RTPlanLabel, Vr.SH, "POST-IMPLANT");
    ds.putString(PLAN_NAME, Vr.LO, "Seeds found on the post-implant CT");
    ds.putString(PLAN_DESCRIPTION, Vr.ST, in.seeds().size() + " seeds as detected by SeedTrace on the post-implant"
        + " CT; not a treatment plan");
    ds.putString(Tag.RTPlanDate, Vr.DA, now.format(DA));
    ds.putString(Tag.RTPlanTime, Vr.TM, now.format(TM));
    ds.putString(PLAN_INTENT, Vr.CS, "VERIFICATION");
    ds.putString(Tag.RTPlanGeometry, Vr.CS, "PATIENT");
    ds.put(Element.ofItems(REFERENCED_STRUCTURE_SET_SEQUENCE, List.of(new DataSet()
        .putString(Tag.ReferencedSOPClassUID, Vr.UI, RtDoseWriter.RT_STRUCTURE_SET_STORAGE)
        .putString(Tag.ReferencedSOPInstanceUID, Vr.UI, in.structureSetUid()))));
  }

  private static DataSet source(Source s) {
    LocalDateTime reference = LocalDateTime.ofInstant(s.reference(), ZoneId.systemDefault());
    DataSet item = new DataSet()
        .putString(SOURCE_NUMBER, Vr.IS, "1")
        .putString(SOURCE_TYPE, Vr.CS, "LINE")
        .putString(SOURCE_ISOTOPE_NAME, Vr.LO, s.isotope())
        .putString(SOURCE_ISOTOPE_HALF_LIFE, Vr.DS, RtAttributes.decimalString(s.halfLifeDays()))
        .putString(REFERENCE_AIR_KERMA_RATE, Vr.DS, RtAttributes.decimalString(s.airKermaStrengthU()))
        // required only for sources that are not photon emitters, allowed for I-125; checkers ask for them
        .putString(SOURCE_STRENGTH_UNITS, Vr.CS, "AIR_KERMA_RATE")
        .putString(SOURCE_STRENGTH, Vr.DS, RtAttributes.decimalString(s.airKermaStrengthU()))
        .putString(SOURCE_STRENGTH_REFERENCE_DATE, Vr.DA, reference.format(DA))
        .putString(SOURCE_STRENGTH_REFERENCE_TIME, Vr.TM, reference.format(TM));
    if (!s.model().isBlank()) {
      item.putString(SOURCE_MODEL_ID, Vr.SH, clip(s.model(), 16));
    }
    if (!s.manufacturer().isBlank()) {
      item.putString(SOURCE_MANUFACTURER, Vr.LO, clip(s.manufacturer(), 64));
    }
    if (s.activeLengthMm() > 0) {
      item.putString(ACTIVE_SOURCE_LENGTH, Vr.DS, RtAttributes.decimalString(s.activeLengthMm()));
    }
    return item;
  }

  private static DataSet setup(Input in) {
    // a permanent implant delivers its dose until the sources have decayed: its time is the mean life
    double meanLifeSeconds = in.source().halfLifeDays() * 86_400 / Math.log(2);
    List<DataSet> channels = new ArrayList<>();
    for (int i = 0; i < in.seeds().size(); i++) {
      Seed seed = in.seeds().get(i);
      channels.add(new DataSet()
          .putString(Tag.ChannelNumber, Vr.IS, Integer.toString(i + 1))
          .putString(CHANNEL_LENGTH, Vr.DS, "")
          .putString(CHANNEL_TOTAL_TIME, Vr.DS, RtAttributes.decimalString(meanLifeSeconds))
          .putString(Tag.SourceMovementType, Vr.CS, "FIXED")
          .putString(TRANSFER_TUBE_NUMBER, Vr.IS, "")
          .putString(REFERENCED_SOURCE_NUMBER, Vr.IS, "1")
          .putString(Tag.NumberOfControlPoints, Vr.IS, "2")
          .putString(Tag.FinalCumulativeTimeWeight, Vr.DS, "1")
          .put(Element.ofItems(Tag.BrachyControlPointSequence, List.of(point(0, seed), point(1, seed)))));
    }
    double totalReferenceAirKerma = in.source().airKermaStrengthU() * in.seeds().size();
    return new DataSet()
        .putString(Tag.ApplicationSetupType, Vr.CS, "PERINEAL")
        .putString(Tag.ApplicationSetupNumber, Vr.IS, "1")
        .putString(TOTAL_REFERENCE_AIR_KERMA, Vr.DS, RtAttributes.decimalString(totalReferenceAirKerma))
        .put(Element.ofItems(Tag.ChannelSequence, channels));
  }

  private static DataSet point(int index, Seed seed) {
    double[] c = seed.centreMm();
    DataSet point = new DataSet()
        .putString(Tag.ControlPointIndex, Vr.IS, Integer.toString(index))
        .putString(Tag.ControlPointRelativePosition, Vr.DS, "0")
        .putString(Tag.ControlPoint3DPosition, Vr.DS, RtAttributes.decimalStrings(c[0], c[1], c[2]))
        .putString(Tag.CumulativeTimeWeight, Vr.DS, Integer.toString(index));
    if (seed.axis() != null) {
      double[] a = seed.axis();
      point.put(Element.ofValue(CONTROL_POINT_ORIENTATION, Vr.FL, floats(a)));
    }
    return point;
  }

  private static byte[] floats(double[] v) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putFloat((float) x);
    }
    return b.array();
  }

  private static String clip(String text, int maxChars) {
    String single = text.replace('\\', '/');
    return single.length() <= maxChars ? single : single.substring(0, maxChars);
  }
}
