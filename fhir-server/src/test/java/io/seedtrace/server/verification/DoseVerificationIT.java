package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.detection.phantom.Phantom;
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
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * End to end: the PACS sends the patient's RT Structure Set (a prostate outline in the CT's frame,
 * the frame named only inside the structure set, as planning systems write it), then the
 * post-implant CT; the report at the EHR carries the implant's dose, and an underdose alert exactly
 * when its D90 is below 90 % of 145 Gy.
 */
class DoseVerificationIT extends ServerTestBase {

  @Autowired
  DicomNodeService dicom;

  @Autowired
  VerificationTables tables;

  @Test
  void aStudyWithAStructureSetIsReportedWithItsDose() throws Exception {
    Phantom p = VerificationIT.phantom(18, 21);
    CtSeries frame = new CtSeries("x", null, VerificationIT.TODAY);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::fhirAs).implantAndSeal(20, 18, 0);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), VerificationIT.TODAY,
        frame.frameOfReferenceUid);
    List<double[]> seeds = VerificationIT.truth(p);

    send(structureSet(implant.dicomPatientId(), series.studyUid, frame.frameOfReferenceUid, prostateAround(seeds)));
    await().atMost(Duration.ofSeconds(60)).until(() -> !tables.rtObjectsOf(implant.dicomPatientId()).isEmpty());
    CtSeries.send(dicom.port(), series.files(p.scan()));

    DiagnosticReport report = await().atMost(Duration.ofSeconds(120)).until(() -> EHR.created(DiagnosticReport.class)
        .stream().filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + series.seriesUid + "-"))
        .findFirst(), java.util.Optional::isPresent).orElseThrow();
    String vid = report.getIdentifierFirstRep().getValue();
    Observation dose = EHR.created(Observation.class).stream()
        .filter(o -> (vid + "#dose").equals(o.getIdentifierFirstRep().getValue())).findFirst().orElseThrow();
    double d90 = dose.getComponent().stream().filter(c -> c.getCode().getCodingFirstRep().getCode().equals("dose-d90"))
        .findFirst().orElseThrow().getValueQuantity().getValue().doubleValue();
    assertThat(d90).isPositive();
    assertThat(dose.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
        .contains("dose-target-volume", "dose-v100", "dose-v150", "dose-v200");
    assertThat(report.getConclusion()).contains("Dose (TG-43, oncoseed-6711): Prostate D90 "
        + String.format(Locale.ROOT, "%.1f", d90));
    List<DetectedIssue> alerts = EHR.created(DetectedIssue.class).stream()
        .filter(i -> i.getIdentifierFirstRep().getValue().startsWith(vid + "#")).toList();
    boolean underdose = alerts.stream().anyMatch(a -> a.getCode().getCodingFirstRep().getCode().equals("dose-underdose"));
    assertThat(underdose).as("underdose alert iff D90 %.1f Gy < 130.5 Gy", d90).isEqualTo(d90 < 0.9 * 145);

    // the physicist sees the same figures on the report's console page
    io.seedtrace.server.support.ConsoleBrowser physicist = new io.seedtrace.server.support.ConsoleBrowser(baseUrl());
    physicist.signIn("physicist", "physicist");
    String reportId = storedReportId(vid);
    io.seedtrace.server.support.ConsoleBrowser.Page page = physicist.get("/console/reports/" + reportId);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Dose (AAPM TG-43, dose to infinity)", "Target D90 (Prostate)",
        new java.math.BigDecimal(d90).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString() + " Gy");
    // and the DVH plot and the isodose lines on the CT slices through the target, as PNG
    assertThat(page.body()).contains("id=\"dvh-plot\"", "id=\"isodose-legend\"", "id=\"isodose-1\"",
        "(target centre)");
    java.util.regex.Matcher pictures = java.util.regex.Pattern.compile("/pictures/([a-z0-9-]+)\\.png")
        .matcher(page.body());
    List<String> names = new java.util.ArrayList<>();
    while (pictures.find()) {
      names.add(pictures.group(1));
    }
    assertThat(names).contains("dvh", "isodose-1", "isodose-2");
    for (String name : names) {
      io.seedtrace.server.support.ConsoleBrowser.Image png = physicist.image("/console/reports/" + reportId
          + "/pictures/" + name + ".png");
      assertThat(png.status()).as(name).isEqualTo(200);
      assertThat(png.contentType()).isEqualTo("image/png");
      assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.bytes()))).as(name).isNotNull();
    }
    assertThat(physicist.image("/console/reports/" + reportId + "/pictures/isodose-9.png").status()).isEqualTo(404);
  }

  /** The id of the report in SeedTrace's own store. */
  private String storedReportId(String verificationId) {
    return fhirAs("physicist").search().forResource(DiagnosticReport.class)
        .where(DiagnosticReport.IDENTIFIER.exactly().systemAndCode(VerificationResults.SID_VERIFICATION, verificationId))
        .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getEntryFirstRep().getResource().getIdElement()
        .getIdPart();
  }

  /** A sphere around the seeds' centre reaching 4 mm beyond the farthest, outlined every 2 mm. */
  private static List<double[]> prostateAround(List<double[]> seeds) {
    double[] c = new double[3];
    for (double[] s : seeds) {
      for (int a = 0; a < 3; a++) {
        c[a] += s[a] / seeds.size();
      }
    }
    double r = 0;
    for (double[] s : seeds) {
      r = Math.max(r, Math.sqrt(Math.pow(s[0] - c[0], 2) + Math.pow(s[1] - c[1], 2) + Math.pow(s[2] - c[2], 2)));
    }
    r += 4;
    List<double[]> contours = new ArrayList<>();
    for (double dz = -r + 1; dz < r; dz += 2) {
      double rho = Math.sqrt(r * r - dz * dz);
      double[] xyz = new double[3 * 36];
      for (int i = 0; i < 36; i++) {
        xyz[3 * i] = c[0] + rho * Math.cos(2 * Math.PI * i / 36);
        xyz[3 * i + 1] = c[1] + rho * Math.sin(2 * Math.PI * i / 36);
        xyz[3 * i + 2] = c[2] + dz;
      }
      contours.add(xyz);
    }
    return contours;
  }

  /** An RT Structure Set with one ROI "Prostate"; the frame only in the Referenced Frame of Reference Sequence. */
  private static byte[] structureSet(String patientId, String studyUid, String frame, List<double[]> contours) {
    DataSet ds = new DataSet();
    ds.putString(Tag.SOPClassUID, Vr.UI, NodeConfig.RT_STRUCTURE_SET);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, CtSeries.uid());
    ds.putString(Tag.Modality, Vr.CS, "RTSTRUCT");
    ds.putString(Tag.PatientName, Vr.PN, "TEST^PATIENT");
    ds.putString(Tag.PatientID, Vr.LO, patientId);
    ds.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, CtSeries.uid());
    ds.putString(Tag.StructureSetLabel, Vr.SH, "POSTPLAN");
    ds.put(Element.ofItems(Tag.ReferencedFrameOfReferenceSequence,
        List.of(new DataSet().putString(Tag.FrameOfReferenceUID, Vr.UI, frame))));
    ds.put(Element.ofItems(Tag.StructureSetROISequence, List.of(new DataSet().putString(Tag.ROINumber, Vr.IS, "1")
        .putString(Tag.ReferencedFrameOfReferenceUID, Vr.UI, frame).putString(Tag.ROIName, Vr.LO, "Prostate"))));
    List<DataSet> items = new ArrayList<>();
    for (double[] c : contours) {
      StringBuilder data = new StringBuilder();
      for (double v : c) {
        data.append(data.isEmpty() ? "" : "\\").append(String.format(Locale.ROOT, "%.3f", v));
      }
      items.add(new DataSet().putString(Tag.ContourGeometricType, Vr.CS, "CLOSED_PLANAR")
          .putString(Tag.NumberOfContourPoints, Vr.IS, Integer.toString(c.length / 3))
          .putString(Tag.ContourData, Vr.DS, data.toString()));
    }
    ds.put(Element.ofItems(Tag.ROIContourSequence, List.of(new DataSet().putString(Tag.ReferencedROINumber, Vr.IS, "1")
        .put(Element.ofItems(Tag.ContourSequence, items)))));
    return Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  private void send(byte[] file) throws Exception {
    try (StoreScu scu = StoreScu.open("127.0.0.1", dicom.port(), "PACS", "SEEDTRACE", List.of(new StoreScu.Proposal(
        NodeConfig.RT_STRUCTURE_SET, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()))), 10_000)) {
      assertThat(scu.store(file)).isZero();
    }
  }
}
