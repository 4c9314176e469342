package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.detection.DetectionResult;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.CountModel;
import io.seedtrace.routes.verification.DoseOutcome;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.support.CtSeries;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dose of a verification as stored (Observation on the report) and as sent to the PACS (RT Dose). */
class DoseResultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static VerificationResults.Resources results(Optional<DoseOutcome> dose) {
    VerificationResults.Refs refs = new VerificationResults.Refs("Patient/1", "Procedure/2", "Device/3",
        "urn:uuid:s", "urn:uuid:i", "urn:uuid:p", "urn:uuid:r");
    VerificationResults.Study study = new VerificationResults.Study("1.2.3", "1.2.3.4", "1.2.3.9", "ACC", "MRN",
        Instant.parse("2026-12-02T10:00:00Z"), 80);
    DetectionResult detection = new DetectionResult(List.of(), List.of(), 0, 0, 0, 1, Map.of());
    return VerificationResults.build("VER-1", refs, study, detection, Optional.empty(), Optional.empty(),
        new CountModel(OptionalInt.empty(), 0, 0, 0, OptionalInt.empty(), OptionalInt.empty()), List.of(),
        "done", dose);
  }

  @Test
  void theDoseIsAnObservationOfTheReportWithOneCodedComponentPerMetric() throws Exception {
    DoseOutcome dose = ImplantDoses.dose("1.2.3.9", 145);
    VerificationResults.Resources r = results(Optional.of(dose));

    Observation o = r.dose().orElseThrow();
    assertThat(o.getCode().getCodingFirstRep().getCode()).isEqualTo("implant-dose");
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("VER-1#dose");
    assertThat(r.report().getResult()).extracting(ref -> ref.getReference()).contains(o.getId());
    assertThat(r.all()).contains(o);
    Map<String, Quantity> components = o.getComponent().stream().collect(Collectors.toMap(
        c -> c.getCode().getCodingFirstRep().getCode(), c -> c.getValueQuantity()));
    assertThat(components).containsKeys("dose-d90", "dose-v100", "dose-v150", "dose-v200", "dose-urethra-d10",
        "dose-urethra-d30", "dose-rectum-d2cc", "dose-rectum-v100");
    assertThat(components.get("dose-d90").getCode()).isEqualTo("Gy");
    assertThat(components.get("dose-d90").getValue().doubleValue()).isCloseTo(
        dose.result().metrics().value("dose-d90").orElseThrow(), within(0.005));
    assertThat(components.get("dose-v100").getCode()).isEqualTo("%");
    assertThat(components.get("dose-rectum-v100").getCode()).isEqualTo("cm3");
    // every code is defined in our CodeSystem
    Set<String> defined = definedCodes();
    o.getComponent().forEach(c -> assertThat(defined).contains(c.getCode().getCodingFirstRep().getCode()));
    assertThat(defined).contains("implant-dose", "dose-underdose", "dose-organ-limit");
    assertThat(o.getComponentFirstRep().getCode().getCodingFirstRep().getSystem()).isEqualTo(CustodyCodes.CS);
  }

  @Test
  void withoutADoseTheReportIsAsBefore() {
    VerificationResults.Resources r = results(Optional.empty());
    assertThat(r.dose()).isEmpty();
    assertThat(r.report().getResult()).hasSize(1);
  }

  @Test
  void theRtDoseArrivesAtStorescpWithTheDvhsOfTheStructureSetsRois(@TempDir Path dir) throws Exception {
    assumeTrue(VerificationIT.onPath("storescp"), "DCMTK storescp is not installed");
    int port = freePort();
    Path received = Files.createDirectories(dir.resolve("received"));
    Process storescp = storescp(dir, received, port);
    try {
      ImageVolume volume = tinyCt();
      DoseOutcome dose = ImplantDoses.dose(volume.frameOfReferenceUid(), 145);
      String planUid = CtSeries.uid();
      new PacsResultSender("SEEDTRACE", "PACS", "127.0.0.1", port).sendDose(volume, "MRN-1", "ACC-1", dose,
          java.util.Optional.of(planUid), List.of());

      Path file;
      try (Stream<Path> files = Files.list(received)) {
        file = files.findFirst().orElseThrow();
      }
      DataSet ds = Part10.read(Files.readAllBytes(file)).dataSet();
      assertThat(ds.getString(Tag.Modality)).contains("RTDOSE");
      assertThat(ds.getString(Tag.StudyInstanceUID)).contains(volume.studyUid());
      assertThat(ds.getString(Tag.FrameOfReferenceUID)).contains(volume.frameOfReferenceUid());
      assertThat(ds.getInt(Tag.Columns)).contains(dose.result().doseGy().nx());
      List<DataSet> dvhs = ds.get(0x30040050).map(Element::items).orElseThrow();
      Set<String> rois = new HashSet<>();
      for (DataSet dvh : dvhs) {
        rois.add(dvh.get(0x30040060).orElseThrow().items().get(0).getString(Tag.ReferencedROINumber).orElseThrow());
      }
      assertThat(rois).containsExactlyInAnyOrder("11", "12", "13");
      assertThat(ds.get(0x300C0060).orElseThrow().items().get(0).getString(Tag.ReferencedSOPInstanceUID))
          .contains(ImplantDoses.STRUCTURE_SET_UID);
      DataSet plan = ds.get(0x300C0002).orElseThrow().items().get(0);
      assertThat(plan.getString(Tag.ReferencedSOPClassUID)).contains("1.2.840.10008.5.1.4.1.1.481.5");
      assertThat(plan.getString(Tag.ReferencedSOPInstanceUID)).contains(planUid);
      Files.copy(file, Path.of("target/rtdose-sample.dcm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(iodErrorsBesidesThePixels(file, dir)).as("dciodvfy errors").isEmpty();
    } finally {
      storescp.destroy();
      storescp.waitFor();
    }
  }

  @Test
  void withoutADicomPlanThePacsGetsThePostImplantPlanFirstAndTheDoseRefersToIt(@TempDir Path dir) throws Exception {
    assumeTrue(VerificationIT.onPath("storescp"), "DCMTK storescp is not installed");
    int port = freePort();
    Path received = Files.createDirectories(dir.resolve("received"));
    Process storescp = storescp(dir, received, port);
    try {
      ImageVolume volume = tinyCt();
      DoseOutcome dose = ImplantDoses.dose(volume.frameOfReferenceUid(), 145);
      List<io.seedtrace.detection.Seed> seeds = List.of(
          new io.seedtrace.detection.Seed(new double[] {-5, 5, 0}, new double[] {0, 0, 1}, 1, 1, 1),
          new io.seedtrace.detection.Seed(new double[] {5, 5, 0}, new double[] {Double.NaN, 0, 0}, 1, 2, 1));
      new PacsResultSender("SEEDTRACE", "PACS", "127.0.0.1", port).sendDose(volume, "MRN-1", "ACC-1", dose,
          java.util.Optional.empty(), seeds);

      Map<String, DataSet> byModality = new java.util.HashMap<>();
      try (Stream<Path> files = Files.list(received)) {
        for (Path f : files.toList()) {
          DataSet ds = Part10.read(Files.readAllBytes(f)).dataSet();
          byModality.put(ds.getString(Tag.Modality).orElseThrow(), ds);
        }
      }
      assertThat(byModality).containsOnlyKeys("RTPLAN", "RTDOSE");
      DataSet plan = byModality.get("RTPLAN");
      assertThat(plan.getString(Tag.StudyInstanceUID)).contains(volume.studyUid());
      assertThat(io.seedtrace.dicom.rt.BrachyPlanReader.read(plan).positions()).hasSize(2);
      DataSet source = plan.get(0x300A0210).orElseThrow().items().get(0);
      assertThat(source.getString(0x300A0226)).contains("I-125");
      assertThat(Double.parseDouble(source.getString(0x300A022A).orElseThrow())).isCloseTo(0.5, within(1e-6));
      DataSet reference = byModality.get("RTDOSE").get(0x300C0002).orElseThrow().items().get(0);
      assertThat(reference.getString(Tag.ReferencedSOPInstanceUID)).isEqualTo(plan.getString(Tag.SOPInstanceUID));
    } finally {
      storescp.destroy();
      storescp.waitFor();
    }
  }

  /** DCMTK's storescp as the PACS (AE title PACS) on {@code port}, writing into {@code received}, once it listens. */
  private static Process storescp(Path dir, Path received, int port) throws Exception {
    Process storescp = new ProcessBuilder("storescp", "-aet", "PACS", "-od", received.toString(), "+xe",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile()).start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
    return storescp;
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A 2 x 2 x 2 CT with new study, series and frame UIDs: what the RT objects refer to. */
  private static ImageVolume tinyCt() {
    return ImageVolume.ct(2, 2, 2, 1, 1, 1, new double[] {0, 0, 0}, new double[] {1, 0, 0},
        new double[] {0, 1, 0}, new double[] {0, 0, 1}, new short[8], CtSeries.uid(), CtSeries.uid(), CtSeries.uid());
  }

  /**
   * What dicom3tools' {@code dciodvfy} calls an error in the RT Dose, checked on a copy without Pixel
   * Data (dciodvfy 1.00~20220618 stops on an assertion for 32-bit pixels in OW), leaving out the
   * errors that removing the pixels causes. Empty, with a message, where dciodvfy or DCMTK's
   * {@code dcmodify} is not installed.
   */
  private static List<String> iodErrorsBesidesThePixels(Path file, Path dir) throws Exception {
    if (!VerificationIT.onPath("dciodvfy") || !VerificationIT.onPath("dcmodify")) {
      System.out.println("DoseResultsTest: dciodvfy (Debian dicom3tools) or dcmodify not installed, IOD not checked");
      return List.of();
    }
    Path copy = Files.copy(file, dir.resolve("without-pixels.dcm"));
    assertThat(new ProcessBuilder("dcmodify", "-nb", "-ea", "(7fe0,0010)", copy.toString()).inheritIO().start()
        .waitFor()).isZero();
    Process check = new ProcessBuilder("dciodvfy", copy.toString()).redirectErrorStream(true).start();
    String report = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    check.waitFor();
    return report.lines().filter(l -> l.startsWith("Error"))
        .filter(l -> !l.contains("<PixelData>") && !l.contains("present when condition unsatisfied")).toList();
  }

  private static Set<String> definedCodes() throws Exception {
    try (InputStream in = DoseResultsTest.class.getResourceAsStream("/package/CodeSystem-seedtrace.json")) {
      JsonNode cs = JSON.readTree(in);
      Set<String> codes = new HashSet<>();
      cs.path("concept").forEach(c -> codes.add(c.path("code").asText()));
      assertThat(cs.path("count").asInt()).isEqualTo(codes.size());
      return codes;
    }
  }
}
