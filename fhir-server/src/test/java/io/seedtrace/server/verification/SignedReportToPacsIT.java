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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A verification report signed off by a physicist reaches an independent PACS (DCMTK's storescp)
 * as an Encapsulated PDF in the CT's study, holding the signed PDF, valid for dicom3tools' dciodvfy.
 */
class SignedReportToPacsIT extends ServerTestBase {

  @Autowired
  DicomNodeService dicom;

  @Autowired
  FhirStore store;

  @Autowired
  SignOff signOff;

  @TempDir
  Path dir;

  final java.util.Map<String, ca.uhn.fhir.rest.client.api.IGenericClient> clients = new java.util.HashMap<>();

  ca.uhn.fhir.rest.client.api.IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void theSignedPdfArrivesAsAnEncapsulatedPdfInTheCtsStudy() throws Exception {
    assumeTrue(VerificationIT.onPath("storescp") && VerificationIT.onPath("dciodvfy"),
        "DCMTK storescp or dicom3tools dciodvfy is not installed");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path received = Files.createDirectories(dir.resolve("received"));
    Process storescp = new ProcessBuilder("storescp", "-aet", "PACS", "-od", received.toString(), "+xa",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile()).start();
    try {
      DiagnosticReport stored = MissingSeedVerification.run(this::as, dicom.port(), EHR);
      String id = stored.getIdElement().getIdPart();
      signOff.signOff(id, "curie", "physicist", "127.0.0.1");
      DiagnosticReport signed = store.read(DiagnosticReport.class, id);
      byte[] pdf = signed.getPresentedFormFirstRep().getData();
      try (SignedReportToPacs toPacs = new SignedReportToPacs(store, dicom,
          new PacsResultSender("SEEDTRACE", "PACS", "127.0.0.1", port))) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
          new java.net.Socket("127.0.0.1", port).close();
          return true;
        });
        toPacs.accept(signed);
        await().atMost(Duration.ofSeconds(60)).until(() -> files(received).size() == 1);
      }
      Path file = files(received).get(0);
      DataSet ds = Part10.read(Files.readAllBytes(file)).dataSet();
      assertThat(ds.getString(Tag.SOPClassUID, "")).isEqualTo("1.2.840.10008.5.1.4.1.1.104.1");
      List<String> ctStudies = dicom.instances().stream().map(InstanceRecord::studyUid).distinct().toList();
      assertThat(ctStudies).contains(ds.getString(Tag.StudyInstanceUID, ""));
      byte[] document = ds.get(0x00420011).orElseThrow().value();
      assertThat(java.util.Arrays.copyOf(document, pdf.length)).isEqualTo(pdf);
      assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
      Process check = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
      String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check.waitFor();
      assertThat(verdict).contains("EncapsulatedPDF");
      assertThat(verdict.lines().filter(l -> l.startsWith("Error"))).as(verdict).isEmpty();
    } finally {
      storescp.destroy();
      storescp.waitFor();
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
