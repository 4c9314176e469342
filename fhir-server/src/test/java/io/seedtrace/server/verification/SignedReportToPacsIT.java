package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.server.console.report.SignOff;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.support.MissingSeedVerification;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A verification report signed off by a physicist reaches an independent PACS (DCMTK's storescp)
 * as an Encapsulated PDF in the CT's study, holding the signed PDF, valid for dicom3tools' dciodvfy:
 * the server runs with {@code send-to-pacs} on, and the console's sign-off sends it.
 */
class SignedReportToPacsIT extends ServerTestBase {

  static final Path RECEIVED;
  static final int PACS_PORT;
  static final Process STORESCP;

  static {
    try {
      RECEIVED = Files.createTempDirectory("signed-report-pacs");
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        PACS_PORT = s.getLocalPort();
      }
      STORESCP = VerificationIT.onPath("storescp") ? new ProcessBuilder("storescp", "-aet", "PACS", "-od",
          RECEIVED.toString(), "+xa", Integer.toString(PACS_PORT)).redirectErrorStream(true)
          .redirectOutput(RECEIVED.resolveSibling(RECEIVED.getFileName() + ".log").toFile()).start() : null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void pacs(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.verification.send-to-pacs", () -> "true");
    registry.add("seedtrace.verification.pacs-ae-title", () -> "PACS");
    registry.add("seedtrace.verification.pacs-host", () -> "127.0.0.1");
    registry.add("seedtrace.verification.pacs-port", () -> Integer.toString(PACS_PORT));
    ownDatabaseAndSpool(registry, "seedtrace-signed-report-it");
  }

  @AfterAll
  static void stopPacs() throws Exception {
    if (STORESCP != null) {
      STORESCP.destroy();
      STORESCP.waitFor();
    }
  }

  @Autowired
  DicomNodeService dicom;

  @Autowired
  FhirStore store;

  @Autowired
  SignOff signOff;

  final java.util.Map<String, ca.uhn.fhir.rest.client.api.IGenericClient> clients = new java.util.HashMap<>();

  ca.uhn.fhir.rest.client.api.IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void theSignedPdfArrivesAsAnEncapsulatedPdfInTheCtsStudy() throws Exception {
    assumeTrue(STORESCP != null && VerificationIT.onPath("dciodvfy"),
        "DCMTK storescp or dicom3tools dciodvfy is not installed");
    DiagnosticReport stored = MissingSeedVerification.run(this::as, dicom.port(), EHR);
    String id = stored.getIdElement().getIdPart();

    signOff.signOff(id, "curie", "physicist", "127.0.0.1");

    await().atMost(Duration.ofSeconds(60)).until(() -> !encapsulatedPdfs().isEmpty());
    byte[] pdf = store.read(DiagnosticReport.class, id).getPresentedFormFirstRep().getData();
    assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
    Path file = encapsulatedPdfs().get(0);
    DataSet ds = Part10.read(Files.readAllBytes(file)).dataSet();
    List<String> ctStudies = dicom.instances().stream().map(InstanceRecord::studyUid).distinct().toList();
    assertThat(ctStudies).contains(ds.getString(Tag.StudyInstanceUID, ""));
    byte[] document = ds.get(0x00420011).orElseThrow().value();
    assertThat(java.util.Arrays.copyOf(document, pdf.length)).as("the signed PDF").isEqualTo(pdf);
    Process check = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
    String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    check.waitFor();
    assertThat(verdict).contains("EncapsulatedPDF");
    assertThat(verdict.lines().filter(l -> l.startsWith("Error"))).as(verdict).isEmpty();
  }

  /** What storescp received of class Encapsulated PDF (the seeds and the dose arrive too). */
  private static List<Path> encapsulatedPdfs() throws Exception {
    List<Path> found = new java.util.ArrayList<>();
    try (Stream<Path> s = Files.list(RECEIVED)) {
      for (Path f : s.toList()) {
        try {
          if ("1.2.840.10008.5.1.4.1.1.104.1".equals(Part10.read(Files.readAllBytes(f)).dataSet()
              .getString(Tag.SOPClassUID, ""))) {
            found.add(f);
          }
        } catch (Exception stillBeingWritten) {
          // read again at the next poll
        }
      }
    }
    return found;
  }
}
