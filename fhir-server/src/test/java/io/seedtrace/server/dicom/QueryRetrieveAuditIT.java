package io.seedtrace.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.DicomWebClient;
import io.seedtrace.server.support.ServerTestBase;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The node's Query/Retrieve SCP records what it discloses as PHI access: DCMTK's findscu asks the
 * running server for a patient's studies and movescu has one sent to DCMTK's storescp; both appear
 * in the audit chain as BALP events naming the DICOM patient and study, the calling AE title as the
 * user and client, and the peer's address (a Query with the keys, a Read with the destination).
 */
class QueryRetrieveAuditIT extends ServerTestBase {

  private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  private static final int VIEWER_PORT = freePort();

  @Autowired
  DicomNodeService dicom;

  @TempDir
  Path dir;

  @DynamicPropertySource
  static void queryRetrieve(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.dicom.query-retrieve-scp", () -> "true");
    // a context of its own beside the cached default one: a spool can be open only once
    registry.add("seedtrace.dicom.spool-dir", () -> DATA_DIR.resolve("dicom-query-retrieve").toString());
    registry.add("seedtrace.dicom.move-destinations.VIEWER", () -> "127.0.0.1:" + VIEWER_PORT);
  }

  @Test
  void aCFindAndACMoveAreRecordedInTheAuditChainNamingThePatientAndStudy() throws Exception {
    Assumptions.assumeTrue(DicomWebClient.curlInstalled() && installed("findscu") && installed("movescu")
        && installed("storescp"), "curl or DCMTK findscu/movescu/storescp not installed");
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 32, 32, 2, 0.7, 1.5, 1,
        0, 0, 0, false, false, 15, 5));
    String today = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
    List<byte[]> files = new CtSeries("QR-" + System.nanoTime(), "ACC-QR-" + System.nanoTime(), today)
        .files(p.scan());
    String patientId = Part10.read(files.get(0)).dataSet().getString(Tag.PatientID, "");
    String study = Part10.read(files.get(0)).dataSet().getString(Tag.StudyInstanceUID, "");
    DicomWebClient web = new DicomWebClient(baseUrl(), dir);
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files)).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> dicom.instances().stream()
        .filter(r -> r.studyUid().equals(study)).count() == files.size());

    String port = Integer.toString(dicom.port());
    run("findscu", "-S", "-aet", "PACS", "-aec", "SEEDTRACE", "127.0.0.1", port, "-k", "QueryRetrieveLevel=STUDY",
        "-k", "PatientID=" + patientId, "-k", "StudyInstanceUID");
    AuditEvent query = awaitAccess("110112", patientId);
    assertThat(query.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(query.getMeta().getProfile()).extracting(u -> u.getValue()).singleElement()
        .satisfies(u -> assertThat(u).endsWith("IHE.BasicAudit.PatientQuery"));
    assertCaller(query);
    assertThat(query.getEntity()).anySatisfy(e -> assertThat(new String(e.getQuery(), StandardCharsets.UTF_8))
        .startsWith("C-FIND STUDY").contains("(0010,0020)=" + patientId));
    assertNamesStudy(query, study);
    assertThat(query.getEntityFirstRep().getDetail()).extracting(d -> d.getType()).contains("chain-hash");

    Path received = Files.createDirectories(dir.resolve("received"));
    Process viewer = new ProcessBuilder("storescp", "-aet", "VIEWER", "-od", received.toString(),
        Integer.toString(VIEWER_PORT)).redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile())
        .start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> listening(VIEWER_PORT));
      run("movescu", "-S", "-aet", "PACS", "-aec", "SEEDTRACE", "-aem", "VIEWER", "127.0.0.1", port,
          "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study);
      await().atMost(Duration.ofSeconds(20)).until(() -> count(received) == files.size());
    } finally {
      viewer.destroy();
      viewer.waitFor(10, TimeUnit.SECONDS);
    }
    AuditEvent move = awaitAccess("110103", patientId);
    assertThat(move.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(move.getMeta().getProfile()).extracting(u -> u.getValue()).singleElement()
        .satisfies(u -> assertThat(u).endsWith("IHE.BasicAudit.PatientRead"));
    assertCaller(move);
    assertNamesStudy(move, study);
    assertThat(move.getEntity()).anySatisfy(e -> assertThat(e.getDescription())
        .startsWith("C-MOVE STUDY").contains(" to VIEWER").contains(files.size() + " instances sent"));
  }

  private static void assertCaller(AuditEvent event) {
    assertThat(event.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor).singleElement()
        .satisfies(u -> assertThat(u.getWho().getIdentifier().getValue()).isEqualTo("PACS"));
    assertThat(event.getAgent()).anySatisfy(a -> assertThat(a.getNetwork().getAddress()).isEqualTo("127.0.0.1"));
    assertThat(event.getAgent()).anySatisfy(a -> assertThat(a.getNetwork().getAddress())
        .isEqualTo("dicom://SEEDTRACE"));
  }

  private static void assertNamesStudy(AuditEvent event, String study) {
    assertThat(event.getEntity()).anySatisfy(e -> {
      assertThat(e.getRole().getCode()).isEqualTo("3");
      assertThat(e.getWhat().getIdentifier().getValue()).isEqualTo(study);
    });
  }

  /**
   * The one access event of this kind (DCM 110103 retrieval, 110112 query) naming the DICOM patient,
   * among the newest 100 (in the whole suite's store other tests' DICOMweb queries share the code).
   */
  private AuditEvent awaitAccess(String dcmCode, String patientId) {
    java.util.function.Supplier<List<AuditEvent>> found = () -> fhirAs("auditor").search()
        .forResource(AuditEvent.class).where(AuditEvent.SUBTYPE.exactly().systemAndCode(DCM, dcmCode))
        .and(AuditEvent.ENTITY_ROLE.exactly().code("1")).sort().descending(AuditEvent.DATE).count(100)
        .returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.getEntity().stream().anyMatch(en -> "1".equals(en.getRole().getCode())
            && patientId.equals(en.getWhat().getIdentifier().getValue())))
        .toList();
    await().atMost(Duration.ofSeconds(90)).until(() -> !found.get().isEmpty());
    assertThat(found.get()).hasSize(1);
    return found.get().get(0);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  private static boolean installed(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static long count(Path folder) throws java.io.IOException {
    try (var files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
