package io.seedtrace.dicom.rt;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetWriter;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.testing.TestCt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds RT Plans, RT Structure Sets and Spatial Registrations in code, as planning systems write them. */
final class RtTestObjects {

  private RtTestObjects() {}

  /** Where the plan of {@link #brachyPlan} puts seed {@code seed} of channel {@code channel} of setup {@code setup}. */
  static double[] seedPosition(int setup, int channel, int seed) {
    return new double[] {-20.5 + 10 * setup + 2.5 * channel, 7.25 - 3 * channel, 100.125 + 5 * seed};
  }

  private static DataSet patientAndStudy(String sopClass, String modality) {
    DataSet ds = new DataSet();
    ds.putString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192");
    ds.putString(Tag.SOPClassUID, Vr.UI, sopClass);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, TestCt.uid());
    ds.putString(Tag.Modality, Vr.CS, modality);
    ds.putString(Tag.PatientName, Vr.PN, "Zhang^Wei");
    ds.putString(Tag.PatientID, Vr.LO, "IP-2026-0042");
    ds.putString(Tag.StudyInstanceUID, Vr.UI, TestCt.uid());
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, TestCt.uid());
    return ds;
  }

  /**
   * A permanent-implant plan: {@code setups} application setups of {@code channels} needles each,
   * {@code seeds} seeds per needle, each seed an entering and a leaving control point at the same
   * 3D position (the second one {@code jitterMm} away, as rounding in a planning system leaves it).
   */
  static DataSet brachyPlan(String frame, int setups, int channels, int seeds, double jitterMm) {
    DataSet plan = patientAndStudy(NodeConfig.RT_PLAN, "RTPLAN");
    plan.putString(Tag.FrameOfReferenceUID, Vr.UI, frame);
    plan.putString(Tag.RTPlanLabel, Vr.SH, "PROSTATE I125");
    plan.putString(Tag.RTPlanGeometry, Vr.CS, "PATIENT");
    plan.putString(Tag.BrachyTreatmentTechnique, Vr.CS, "INTERSTITIAL");
    plan.putString(Tag.BrachyTreatmentType, Vr.CS, "PERMANENT");
    List<DataSet> setupItems = new ArrayList<>();
    for (int s = 1; s <= setups; s++) {
      List<DataSet> channelItems = new ArrayList<>();
      for (int c = 1; c <= channels; c++) {
        List<DataSet> points = new ArrayList<>();
        for (int k = 1; k <= seeds; k++) {
          double[] p = seedPosition(s, c, k);
          points.add(controlPoint(points.size(), p, 5.0 * k, (k - 1.0) / seeds));
          double[] q = {p[0] + jitterMm, p[1], p[2]};
          points.add(controlPoint(points.size(), q, 5.0 * k, (double) k / seeds));
        }
        channelItems.add(new DataSet()
            .putString(Tag.ChannelNumber, Vr.IS, Integer.toString(c))
            .putString(Tag.SourceMovementType, Vr.CS, "FIXED")
            .putString(Tag.NumberOfControlPoints, Vr.IS, Integer.toString(points.size()))
            .put(Element.ofItems(Tag.BrachyControlPointSequence, points)));
      }
      setupItems.add(new DataSet()
          .putString(Tag.ApplicationSetupType, Vr.CS, "PERINEAL")
          .putString(Tag.ApplicationSetupNumber, Vr.IS, Integer.toString(s))
          .put(Element.ofItems(Tag.ChannelSequence, channelItems)));
    }
    plan.put(Element.ofItems(Tag.ApplicationSetupSequence, setupItems));
    return plan;
  }

  static DataSet controlPoint(int index, double[] position, double relativeMm, double weight) {
    DataSet cp = new DataSet()
        .putString(Tag.ControlPointIndex, Vr.IS, Integer.toString(index))
        .putString(Tag.CumulativeTimeWeight, Vr.DS, RtAttributes.decimalString(weight))
        .putString(Tag.ControlPointRelativePosition, Vr.DS, RtAttributes.decimalString(relativeMm));
    if (position != null) {
      cp.putString(Tag.ControlPoint3DPosition, Vr.DS, RtAttributes.decimalStrings(position));
    }
    return cp;
  }

  /** A plan with one setup and channel whose control points are at {@code positions} in that order. */
  static DataSet planThrough(String frame, double[]... positions) {
    DataSet plan = brachyPlan(frame, 1, 1, 1, 0);
    List<DataSet> points = new ArrayList<>();
    for (double[] p : positions) {
      points.add(controlPoint(points.size(), p, points.size(), 0));
    }
    DataSet channel = new DataSet().putString(Tag.ChannelNumber, Vr.IS, "7")
        .put(Element.ofItems(Tag.BrachyControlPointSequence, points));
    DataSet setup = new DataSet().putString(Tag.ApplicationSetupNumber, Vr.IS, "3")
        .put(Element.ofItems(Tag.ChannelSequence, List.of(channel)));
    return plan.put(Element.ofItems(Tag.ApplicationSetupSequence, List.of(setup)));
  }

  /** One named ROI: a POINT marker when {@code contour} has 3 values, otherwise a closed outline. */
  record Roi(int number, String name, double[] contour) {}

  /**
   * A structure set with the given ROIs. {@code declaredFrame} goes into the Referenced Frame of
   * Reference Sequence (left out when null); {@code roiFrame} into each ROI (left out when null).
   */
  static DataSet structureSet(String declaredFrame, String roiFrame, List<Roi> rois) {
    DataSet ss = patientAndStudy(NodeConfig.RT_STRUCTURE_SET, "RTSTRUCT");
    ss.putString(Tag.StructureSetLabel, Vr.SH, "POSTPLAN");
    ss.putString(Tag.StructureSetDate, Vr.DA, "20261124");
    ss.putString(Tag.StructureSetTime, Vr.TM, "101500");
    if (declaredFrame != null) {
      ss.put(Element.ofItems(Tag.ReferencedFrameOfReferenceSequence,
          List.of(new DataSet().putString(Tag.FrameOfReferenceUID, Vr.UI, declaredFrame))));
    }
    List<DataSet> roiItems = new ArrayList<>();
    List<DataSet> contourItems = new ArrayList<>();
    List<DataSet> observationItems = new ArrayList<>();
    for (Roi roi : rois) {
      String number = Integer.toString(roi.number());
      DataSet item = new DataSet().putString(Tag.ROINumber, Vr.IS, number).putString(Tag.ROIName, Vr.LO, roi.name())
          .putString(Tag.ROIGenerationAlgorithm, Vr.CS, "MANUAL");
      if (roiFrame != null) {
        item.putString(Tag.ReferencedFrameOfReferenceUID, Vr.UI, roiFrame);
      }
      roiItems.add(item);
      boolean point = roi.contour().length == 3;
      DataSet contour = new DataSet()
          .putString(Tag.ContourGeometricType, Vr.CS, point ? "POINT" : "CLOSED_PLANAR")
          .putString(Tag.NumberOfContourPoints, Vr.IS, Integer.toString(roi.contour().length / 3))
          .putString(Tag.ContourData, Vr.DS, RtAttributes.decimalStrings(roi.contour()));
      contourItems.add(new DataSet().putString(Tag.ReferencedROINumber, Vr.IS, number)
          .put(Element.ofItems(Tag.ContourSequence, List.of(contour))));
      observationItems.add(new DataSet().putString(Tag.ObservationNumber, Vr.IS, number)
          .putString(Tag.ReferencedROINumber, Vr.IS, number)
          .putString(Tag.RTROIInterpretedType, Vr.CS, point ? "MARKER" : "ORGAN"));
    }
    ss.put(Element.ofItems(Tag.StructureSetROISequence, roiItems));
    ss.put(Element.ofItems(Tag.ROIContourSequence, contourItems));
    ss.put(Element.ofItems(Tag.RTROIObservationsSequence, observationItems));
    return ss;
  }

  /** Five seed markers and a prostate outline, as a planning system exports a post-plan. */
  static List<Roi> fiveSeedsAndAProstate() {
    List<Roi> rois = new ArrayList<>();
    rois.add(new Roi(1, "Prostate", new double[] {-20, -20, 10, 20, -20, 10, 20, 20, 10, -20, 20, 10}));
    for (int i = 0; i < 5; i++) {
      rois.add(new Roi(i + 2, "Seed " + (i + 1), new double[] {-12.5 + 5 * i, 3.75 - i, 100.5 + 4.125 * i}));
    }
    return rois;
  }

  /** A 90 degree rotation about z followed by a translation of (10, 20, 30) mm. */
  static double[] rotateZ90AndShift() {
    return new double[] {0, -1, 0, 10, 1, 0, 0, 20, 0, 0, 1, 30, 0, 0, 0, 1};
  }

  static double[] translation(double x, double y, double z) {
    return new double[] {1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z, 0, 0, 0, 1};
  }

  static double[] identity() {
    return translation(0, 0, 0);
  }

  /** A registration into {@code target}: one item per entry, every matrix of type {@code type}. */
  static DataSet registration(String target, Map<String, double[]> matrices, String type) {
    DataSet reg = patientAndStudy(NodeConfig.SPATIAL_REGISTRATION, "REG");
    reg.putString(Tag.FrameOfReferenceUID, Vr.UI, target);
    reg.putString(Tag.ContentDate, Vr.DA, "20261124");
    reg.putString(Tag.ContentTime, Vr.TM, "101500");
    List<DataSet> items = new ArrayList<>();
    for (Map.Entry<String, double[]> e : matrices.entrySet()) {
      items.add(registrationItem(e.getKey(), type, e.getValue()));
    }
    return reg.put(Element.ofItems(Tag.RegistrationSequence, items));
  }

  static DataSet registrationItem(String frame, String type, double[]... matrices) {
    List<DataSet> matrixItems = new ArrayList<>();
    for (double[] m : matrices) {
      DataSet item = new DataSet()
          .putString(Tag.FrameOfReferenceTransformationMatrix, Vr.DS, RtAttributes.decimalStrings(m));
      if (type != null) {
        item.putString(Tag.FrameOfReferenceTransformationMatrixType, Vr.CS, type);
      }
      matrixItems.add(item);
    }
    DataSet matrixRegistration = new DataSet().put(Element.ofItems(Tag.MatrixSequence, matrixItems));
    return new DataSet().putString(Tag.FrameOfReferenceUID, Vr.UI, frame)
        .put(Element.ofItems(Tag.MatrixRegistrationSequence, List.of(matrixRegistration)));
  }

  /**
   * The same sequence as an archive that does not know it stores it: VR UN, defined length, the
   * items encoded in implicit VR little endian (PS3.5 6.2.2).
   */
  static Element asUnknown(Element sequence) {
    byte[] implicit = DataSetWriter.toBytes(new DataSet().put(sequence), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    // drop the element header (8 bytes) and the sequence delimiter (8 bytes): a defined length needs neither
    return Element.ofValue(sequence.tag(), Vr.UN, Arrays.copyOfRange(implicit, 8, implicit.length - 8));
  }
}
