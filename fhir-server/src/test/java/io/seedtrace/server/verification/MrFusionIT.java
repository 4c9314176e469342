package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.FusionPhantom;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * End to end: the PACS sends the patient's post-implant MR (its own frame of reference, the patient
 * lying 17 mm and 8 degrees otherwise than on the CT) and an RT Structure Set with the prostate
 * outlined on the MR, then the CT. The report at the EHR places the detected seeds against the
 * MR-contoured prostate, which only a working registration can do: without it, some seeds would
 * fall outside the outline.
 */
class MrFusionIT extends ServerTestBase {

  private static final RigidTransform MR_TO_CT = RigidTransform.ofRotationVector(
      new double[] {Math.toRadians(8) / Math.sqrt(5), 2 * Math.toRadians(8) / Math.sqrt(5), 0},
      new double[] {9, -12, 8});

  @Autowired
  DicomNodeService dicom;

  @Autowired
  VerificationTables tables;

  @Test
  void theReportPlacesTheSeedsAgainstTheProstateOutlinedOnTheMr() throws Exception {
    Phantom p = VerificationIT.phantom(18, 21);
    CtSeries frame = new CtSeries("x", null, VerificationIT.TODAY);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::fhirAs).implantAndSeal(20, 18, 0);
    CtSeries ct = new CtSeries(implant.dicomPatientId(), implant.accession(), VerificationIT.TODAY,
        frame.frameOfReferenceUid);
    CtSeries mrIds = new CtSeries(implant.dicomPatientId(), null, VerificationIT.TODAY);
    List<double[]> seeds = VerificationIT.truth(p);
    double[] centre = centroid(seeds);
    double radius = 2.5 + seeds.stream().mapToDouble(s -> distance(s, centre)).max().orElseThrow();
    CtScan mr = FusionPhantom.mrOf(p.scan(), MR_TO_CT, 5);
    List<byte[]> mrFiles = mrFiles(mr, mrIds);

    send(mrFiles, NodeConfig.MR_IMAGE);
    send(List.of(structureSet(mrIds, MR_TO_CT.inverse().apply(centre), radius)), NodeConfig.RT_STRUCTURE_SET);
    await().atMost(Duration.ofSeconds(60))
        .until(() -> tables.rtObjectsOf(implant.dicomPatientId()).size() == mrFiles.size() + 1);
    CtSeries.send(dicom.port(), ct.files(p.scan()));

    DiagnosticReport report = await().atMost(Duration.ofSeconds(180)).until(() -> EHR.created(DiagnosticReport.class)
        .stream().filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + ct.seriesUid + "-"))
        .findFirst(), java.util.Optional::isPresent).orElseThrow();
    System.out.println("MR fusion IT conclusion: " + report.getConclusion());
    assertThat(report.getConclusion()).contains("MR fusion: the MR series " + mrIds.seriesUid
        + " was registered to this CT by mutual information (start: centres-of-mass");
    assertThat(report.getConclusion()).contains("Against the MR-contoured Prostate: 18 of 18 seeds inside, none outside.");
    // taking the MR's coordinates for the CT's (no registration) would have put seeds outside the outline
    double[] unregistered = MR_TO_CT.inverse().apply(centre);
    long insideWithoutRegistration = seeds.stream().filter(s -> distance(s, unregistered) < radius).count();
    assertThat(insideWithoutRegistration).isLessThan(18);
  }

  private static double[] centroid(List<double[]> points) {
    double[] c = new double[3];
    for (double[] s : points) {
      for (int a = 0; a < 3; a++) {
        c[a] += s[a] / points.size();
      }
    }
    return c;
  }

  private static double distance(double[] a, double[] b) {
    return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
  }

  /** The MR as MR Image Storage files of the patient, one per slice. */
  private static List<byte[]> mrFiles(CtScan scan, CtSeries ids) {
    List<byte[]> files = new ArrayList<>();
    int plane = scan.nx() * scan.ny();
    for (int k = 0; k < scan.nz(); k++) {
      byte[] pixels = new byte[2 * plane];
      for (int q = 0; q < plane; q++) {
        short v = scan.hu()[k * plane + q];
        pixels[2 * q] = (byte) v;
        pixels[2 * q + 1] = (byte) (v >> 8);
      }
      DataSet ds = new DataSet()
          .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.MR_IMAGE)
          .putString(Tag.SOPInstanceUID, Vr.UI, CtSeries.uid())
          .putString(Tag.Modality, Vr.CS, "MR")
          .putString(Tag.PatientName, Vr.PN, "TEST^PATIENT")
          .putString(Tag.PatientID, Vr.LO, ids.patientId)
          .putString(Tag.StudyDate, Vr.DA, ids.studyDate)
          .putString(Tag.StudyInstanceUID, Vr.UI, ids.studyUid)
          .putString(Tag.SeriesInstanceUID, Vr.UI, ids.seriesUid)
          .putString(Tag.FrameOfReferenceUID, Vr.UI, ids.frameOfReferenceUid)
          .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(k + 1))
          .putString(Tag.ImagePositionPatient, Vr.DS, ds(scan.toPatient(0, 0, k)))
          .putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0")
          .putString(Tag.PixelSpacing, Vr.DS, ds(new double[] {scan.dy(), scan.dx()}))
          .putString(Tag.SliceThickness, Vr.DS, ds(new double[] {scan.dz()}))
          .putUS(Tag.SamplesPerPixel, 1)
          .putString(Tag.PhotometricInterpretation, Vr.CS, "MONOCHROME2")
          .putUS(Tag.Rows, scan.ny()).putUS(Tag.Columns, scan.nx())
          .putUS(Tag.BitsAllocated, 16).putUS(Tag.BitsStored, 16).putUS(Tag.HighBit, 15)
          .putUS(Tag.PixelRepresentation, 1)
          .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
      files.add(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    return files;
  }

  /** An RT Structure Set on the MR's frame and series: a "Prostate" sphere outlined on axial planes every 2 mm. */
  private static byte[] structureSet(CtSeries mr, double[] c, double r) {
    List<DataSet> contours = new ArrayList<>();
    for (double dz = -r + 1; dz < r; dz += 2) {
      double rho = Math.sqrt(r * r - dz * dz);
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < 36; i++) {
        double[] xyz = {c[0] + rho * Math.cos(2 * Math.PI * i / 36), c[1] + rho * Math.sin(2 * Math.PI * i / 36), c[2] + dz};
        data.append(data.isEmpty() ? "" : "\\").append(ds(xyz));
      }
      contours.add(new DataSet().putString(Tag.ContourGeometricType, Vr.CS, "CLOSED_PLANAR")
          .putString(Tag.NumberOfContourPoints, Vr.IS, "36").putString(Tag.ContourData, Vr.DS, data.toString()));
    }
    DataSet series = new DataSet().putString(Tag.SeriesInstanceUID, Vr.UI, mr.seriesUid);
    DataSet study = new DataSet().put(Element.ofItems(Tag.RTReferencedSeriesSequence, List.of(series)));
    DataSet ds = new DataSet()
        .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.RT_STRUCTURE_SET)
        .putString(Tag.SOPInstanceUID, Vr.UI, CtSeries.uid())
        .putString(Tag.Modality, Vr.CS, "RTSTRUCT")
        .putString(Tag.PatientName, Vr.PN, "TEST^PATIENT")
        .putString(Tag.PatientID, Vr.LO, mr.patientId)
        .putString(Tag.StudyInstanceUID, Vr.UI, mr.studyUid)
        .putString(Tag.SeriesInstanceUID, Vr.UI, CtSeries.uid())
        .putString(Tag.StructureSetLabel, Vr.SH, "MR TARGET")
        .put(Element.ofItems(Tag.ReferencedFrameOfReferenceSequence, List.of(new DataSet()
            .putString(Tag.FrameOfReferenceUID, Vr.UI, mr.frameOfReferenceUid)
            .put(Element.ofItems(Tag.RTReferencedStudySequence, List.of(study))))))
        .put(Element.ofItems(Tag.StructureSetROISequence, List.of(new DataSet().putString(Tag.ROINumber, Vr.IS, "1")
            .putString(Tag.ReferencedFrameOfReferenceUID, Vr.UI, mr.frameOfReferenceUid)
            .putString(Tag.ROIName, Vr.LO, "Prostate"))))
        .put(Element.ofItems(Tag.ROIContourSequence, List.of(new DataSet().putString(Tag.ReferencedROINumber, Vr.IS, "1")
            .put(Element.ofItems(Tag.ContourSequence, contours)))));
    return Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  private void send(List<byte[]> files, String sopClass) throws Exception {
    try (StoreScu scu = StoreScu.open("127.0.0.1", dicom.port(), "PACS", "SEEDTRACE", List.of(new StoreScu.Proposal(
        sopClass, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()))), 10_000)) {
      for (byte[] f : files) {
        assertThat(scu.store(f)).isZero();
      }
    }
  }

  private static String ds(double[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : "\\").append(String.format(Locale.ROOT, "%.3f", v[i]));
    }
    return s.toString();
  }
}
