package io.seedtrace.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.dicom.codec.Transcoder;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.DicomWebClient;
import io.seedtrace.server.support.PlanDocument;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * DICOMweb with a real client: curl posts multipart bodies of generated Part 10 files to the
 * running server with real tokens from its issuer; what STOW-RS stores is verified as a pushed CT
 * is, found by QIDO-RS and retrieved by WADO-RS byte for byte.
 */
class DicomWebIT extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TODAY = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
  /** Failure reasons of the Store Instances response. */
  private static final int OUT_OF_RESOURCES = 0xA700;
  private static final int CANNOT_UNDERSTAND = 0xC000;

  @Autowired
  DicomNodeService dicom;

  @Autowired
  StudyIndex index;

  @Autowired
  io.seedtrace.server.audit.AuditBatchWriter<io.seedtrace.server.audit.PhiAccess> phiAudit;

  @Autowired
  io.seedtrace.server.audit.PhiAccessJournal phiJournal;

  @TempDir
  Path dir;

  DicomWebClient web;
  final Map<String, IGenericClient> clients = new HashMap<>();

  @BeforeEach
  void client() {
    Assumptions.assumeTrue(DicomWebClient.curlInstalled(), "curl is not installed");
    web = new DicomWebClient(baseUrl(), dir);
  }

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  static List<byte[]> smallSeries(int count) {
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 32, 32, count, 0.7, 1.5, 1,
        0, 0, 0, false, false, 15, 5));
    return new CtSeries("DW-" + System.nanoTime(), "ACC-DW-" + System.nanoTime(), TODAY).files(p.scan());
  }

  static JsonNode sequence(DicomWebClient.Answer answer, String tag) throws Exception {
    JsonNode seq = JSON.readTree(answer.body()).path(tag).path("Value");
    return seq.isMissingNode() ? JSON.createArrayNode() : seq;
  }

  static byte[] dataSet(byte[] file) throws Exception {
    return Arrays.copyOfRange(file, Part10.dataSetOffset(file), file.length);
  }

  List<InstanceRecord> stored(String studyUid) throws Exception {
    return dicom.instances().stream().filter(r -> r.studyUid().equals(studyUid)).toList();
  }

  static String studyOf(List<byte[]> files) throws Exception {
    return Part10.read(files.get(0)).dataSet().getString(io.seedtrace.dicom.data.Tag.StudyInstanceUID, "");
  }

  @Test
  void aCtStoredByStowRsIsVerifiedLikeAPushedOneFoundByQidoAndRetrievedByteForByte() throws Exception {
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 128, 128, 50, 0.7, 1.5, 18,
        0, 0, 0, false, false, 15, 11));
    CtSeries frame = new CtSeries("x", null, TODAY);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    PlanDocument.attachJson(as("physicist"), implant.patientId(), implant.procedureId(),
        p.seeds().stream().map(Phantom.TruthSeed::centre).toList(), frame.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), TODAY, frame.frameOfReferenceUid);
    List<byte[]> files = series.files(p.scan());

    DicomWebClient.Answer stow = web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files));

    assertThat(stow.status()).as(stow.text()).isEqualTo(200);
    assertThat(stow.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
    assertThat(sequence(stow, "00081199")).hasSize(files.size());
    assertThat(sequence(stow, "00081198")).isEmpty();
    assertThat(sequence(stow, "00081199").get(0).path("00081190").path("Value").get(0).asText())
        .startsWith(baseUrl() + "/dicomweb/studies/" + series.studyUid + "/series/" + series.seriesUid + "/instances/");
    DiagnosticReport report = awaitReportAtEhr(series.seriesUid);
    assertThat(report.getConclusion()).startsWith("All 20 seeds accounted for: 18 seen on CT");

    String physicist = tokens().forRole("physicist");
    JsonNode studies = JSON.readTree(web.get("/dicomweb/studies?PatientID=" + series.patientId + "&StudyDate="
        + TODAY + "-", physicist, "application/dicom+json").body());
    assertThat(studies).hasSize(1);
    assertThat(studies.get(0).path("0020000D").path("Value").get(0).asText()).isEqualTo(series.studyUid);
    assertThat(studies.get(0).path("00201208").path("Value").get(0).asInt()).isEqualTo(files.size());
    assertThat(studies.get(0).path("00080061").path("Value").get(0).asText()).isEqualTo("CT");
    JsonNode seriesFound = JSON.readTree(web.get("/dicomweb/studies/" + series.studyUid + "/series?Modality=CT",
        physicist, null).body());
    assertThat(seriesFound).hasSize(1);
    assertThat(seriesFound.get(0).path("0020000E").path("Value").get(0).asText()).isEqualTo(series.seriesUid);
    assertThat(JSON.readTree(web.get("/dicomweb/studies?PatientID=" + series.patientId + "&StudyDate=-19991231",
        physicist, null).body())).isEmpty();

    DicomWebClient.Answer wado = web.get("/dicomweb/studies/" + series.studyUid + "/series/" + series.seriesUid,
        physicist, "multipart/related; type=\"application/dicom\"");
    assertThat(wado.status()).isEqualTo(200);
    List<byte[]> retrieved = DicomWebClient.parts(wado);
    assertThat(retrieved).hasSize(files.size());
    List<InstanceRecord> spooled = stored(series.studyUid);
    for (int i = 0; i < files.size(); i++) {
      assertThat(retrieved.get(i)).as("part %d is the stored file", i).isEqualTo(Files.readAllBytes(spooled.get(i).path()));
      assertThat(dataSet(retrieved.get(i))).as("data set %d as posted", i).isEqualTo(dataSet(files.get(i)));
    }
  }

  DiagnosticReport awaitReportAtEhr(String seriesUid) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> EHR.created(
        DiagnosticReport.class).stream().anyMatch(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + seriesUid + "-")));
    return EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + seriesUid + "-")).findFirst().orElseThrow();
  }

  @Test
  void onlyAPacsTokenMayStoreAndOnlyRolesThatReadImagesMayQueryOrRetrieve() throws Exception {
    List<byte[]> files = smallSeries(2);
    byte[] body = DicomWebClient.body(files);
    assertThat(web.post("/dicomweb/studies", null, DicomWebClient.STOW_TYPE, body).status()).isEqualTo(401);
    assertThat(web.post("/dicomweb/studies", "not.a.token", DicomWebClient.STOW_TYPE, body).status()).isEqualTo(401);
    assertThat(web.post("/dicomweb/studies", tokens().forRole("nurse"), DicomWebClient.STOW_TYPE, body).status())
        .isEqualTo(403);
    assertThat(web.post("/dicomweb/studies", tokens().forRole("admin"), DicomWebClient.STOW_TYPE, body).status())
        .isEqualTo(403);
    assertThat(stored(studyOf(files))).as("nothing stored").isEmpty();

    assertThat(web.get("/dicomweb/studies", null, null).status()).isEqualTo(401);
    assertThat(web.get("/dicomweb/studies", tokens().forRole("pacs"), null).status()).isEqualTo(403);
    assertThat(web.get("/dicomweb/series", tokens().forRole("logistics"), null).status()).isEqualTo(403);
    assertThat(web.get("/dicomweb/studies/1.2.3", tokens().forRole("manufacturer"), null).status()).isEqualTo(403);
    assertThat(web.get("/dicomweb/studies", tokens().forRole("nurse"), null).status()).isEqualTo(200);
  }

  @Test
  void aWrongMediaTypeIs415AndABodyThatIsNotMultipartIs400() throws Exception {
    List<byte[]> files = smallSeries(1);
    String pacs = tokens().forRole("pacs");
    DicomWebClient.Answer json = web.post("/dicomweb/studies", pacs, "application/dicom+json", "[]".getBytes());
    assertThat(json.status()).isEqualTo(415);
    assertThat(json.text()).contains("OperationOutcome").contains("multipart/related");
    assertThat(web.post("/dicomweb/studies", pacs, "multipart/related; type=\"application/dicom+xml\"; boundary="
        + DicomWebClient.BOUNDARY, DicomWebClient.body(files)).status()).isEqualTo(415);
    assertThat(web.post("/dicomweb/studies", pacs, "application/dicom", files.get(0)).status()).isEqualTo(415);
    DicomWebClient.Answer broken = web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE,
        "this is no multipart body".getBytes());
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.text()).contains("OperationOutcome");
    assertThat(stored(studyOf(files))).isEmpty();
  }

  @Test
  void aBodyCutInsideAFileKeepsTheWholeFilesBeforeIt() throws Exception {
    List<byte[]> files = smallSeries(3);
    byte[] whole = DicomWebClient.body(files);
    byte[] cut = Arrays.copyOf(whole, whole.length - files.get(2).length / 2);

    DicomWebClient.Answer answer = web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE, cut);

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(sequence(answer, "00081199")).hasSize(2);
    assertThat(sequence(answer, "00081198")).hasSize(1);
    assertThat(sequence(answer, "00081198").get(0).path("00081197").path("Value").get(0).asInt())
        .isEqualTo(CANNOT_UNDERSTAND);
    assertThat(answer.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("ends inside a part"));
    List<InstanceRecord> kept = stored(studyOf(files));
    assertThat(kept).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(dataSet(Files.readAllBytes(kept.get(i).path()))).isEqualTo(dataSet(files.get(i)));
    }
  }

  @Test
  void aConnectionDroppedMidBodyKeepsWhatWasAcknowledgedDurable() throws Exception {
    List<byte[]> files = smallSeries(3);
    byte[] whole = DicomWebClient.body(files);
    int sent = whole.length - files.get(2).length / 2;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      String head = "POST /dicomweb/studies HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + tokens().forRole("pacs") + "\r\nContent-Type: " + DicomWebClient.STOW_TYPE + "\r\nContent-Length: "
          + whole.length + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(whole, 0, sent);
      socket.getOutputStream().flush();
      String study = studyOf(files);
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(study).size() == 2);
    }
    String study = studyOf(files);
    List<InstanceRecord> kept = stored(study);
    assertThat(kept).hasSize(2);
    assertThat(dataSet(Files.readAllBytes(kept.get(1).path()))).isEqualTo(dataSet(files.get(1)));
  }

  @Test
  void aFileOverThePartLimitIsRefusedAndTheFilesBeforeItStayStored() throws Exception {
    List<byte[]> small = smallSeries(1);
    Phantom big = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 1024, 1024, 1, 0.5, 1.0, 0,
        0, 0, 0, false, false, 15, 3));
    byte[] tooLarge = new CtSeries("DW-BIG", "ACC-BIG", TODAY).files(big.scan()).get(0); // 2 MB > 1 MB limit
    List<byte[]> files = new ArrayList<>(small);
    files.add(tooLarge);
    files.addAll(smallSeries(1));
    String pacs = tokens().forRole("pacs");

    DicomWebClient.Answer answer = web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files));

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(sequence(answer, "00081199")).hasSize(1);
    assertThat(sequence(answer, "00081198").get(0).path("00081197").path("Value").get(0).asInt())
        .isEqualTo(OUT_OF_RESOURCES);
    assertThat(answer.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("larger than the limit"));
    assertThat(stored(studyOf(small))).hasSize(1);
    assertThat(web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE, DicomWebClient.body(List.of(tooLarge)))
        .status()).isEqualTo(413);
  }

  @Test
  void instancesOfAnotherStudyAreRefusedWhenTheUrlNamesAStudyAndAllRefusedIs409() throws Exception {
    List<byte[]> files = smallSeries(2);
    String pacs = tokens().forRole("pacs");
    DicomWebClient.Answer answer = web.post("/dicomweb/studies/1.2.826.0.1.3680043.2.1143.1", pacs,
        DicomWebClient.STOW_TYPE, DicomWebClient.body(files));
    assertThat(answer.status()).as(answer.text()).isEqualTo(409);
    assertThat(sequence(answer, "00081198")).hasSize(2);
    assertThat(stored(studyOf(files))).isEmpty();
    assertThat(web.post("/dicomweb/studies/" + studyOf(files), pacs, DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files)).status()).isEqualTo(200);
    assertThat(stored(studyOf(files))).hasSize(2);
  }

  @Test
  void qidoOverTwoThousandIndexedSeriesAnswersInBoundedTime() throws Exception {
    String run = "9" + System.nanoTime() % 1_000_000_000L;
    for (int i = 0; i < 2000; i++) {
      int study = i / 5;
      index.insertSeries(new StudyIndex.Series("1.2.826.0.1." + run + "." + study, "1.2.826.0.1." + run + "." + study
          + "." + i, "LOAD-" + run + "-" + study % 200, "Load^Patient" + study % 200, "ACC" + study, TODAY, "101010",
          "load study", "", "S" + study, i % 5 == 0 ? "CT" : "MR", "load series " + i, Integer.toString(i % 5), 100));
    }
    String physicist = tokens().forRole("physicist");
    String patient = "LOAD-" + run + "-7"; // studies 7 and 207: 10 series
    List<Long> seriesMillis = new ArrayList<>();
    List<Long> studyMillis = new ArrayList<>();
    for (int k = 0; k < 15; k++) {
      long t0 = System.nanoTime();
      JsonNode series = JSON.readTree(httpGet("/dicomweb/series?PatientID=" + patient, physicist));
      seriesMillis.add((System.nanoTime() - t0) / 1_000_000);
      assertThat(series).hasSize(10);
      t0 = System.nanoTime();
      JsonNode studies = JSON.readTree(httpGet("/dicomweb/studies?PatientID=LOAD-" + run + "-*&limit=20", physicist));
      studyMillis.add((System.nanoTime() - t0) / 1_000_000);
      assertThat(studies).hasSize(20);
    }
    System.out.printf("QIDO over 2000 indexed series (15 runs, ms): series of one patient median %d (%d-%d),"
        + " studies by wildcard median %d (%d-%d)%n", median(seriesMillis), java.util.Collections.min(seriesMillis),
        java.util.Collections.max(seriesMillis), median(studyMillis), java.util.Collections.min(studyMillis),
        java.util.Collections.max(studyMillis));
    assertThat(median(seriesMillis)).as("median ms").isLessThan(1000);
    assertThat(median(studyMillis)).as("median ms").isLessThan(1000);
    // each search above is audited (one event per patient of its page): let the converter catch up
    await().atMost(Duration.ofMinutes(3)).until(() -> phiAudit.queued() == 0 && phiJournal.waiting() == 0);
  }

  @Test
  void qidoAndWadoOfOneSeriesDoNotReadTheFilesOfOthers() throws Exception {
    List<byte[]> kept = smallSeries(3);
    List<byte[]> other = smallSeries(3);
    String pacs = tokens().forRole("pacs");
    assertThat(web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE, DicomWebClient.body(kept)).status()).isEqualTo(200);
    assertThat(web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE, DicomWebClient.body(other)).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> index.instances(studyOf(kept), null, null).size() == 3
        && index.instances(studyOf(other), null, null).size() == 3);
    Path otherDir = stored(studyOf(other)).get(0).path().getParent().getParent();
    Path away = otherDir.resolveSibling(".moved-" + otherDir.getFileName());
    Files.move(otherDir, away);
    try {
      String physicist = tokens().forRole("physicist");
      String seriesUid = Part10.read(kept.get(0)).dataSet().getString(io.seedtrace.dicom.data.Tag.SeriesInstanceUID, "");
      DicomWebClient.Answer wado = web.get("/dicomweb/studies/" + studyOf(kept) + "/series/" + seriesUid, physicist, null);
      assertThat(wado.status()).isEqualTo(200);
      assertThat(DicomWebClient.parts(wado)).hasSize(3);
      JsonNode instances = JSON.readTree(web.get("/dicomweb/studies/" + studyOf(kept) + "/series/" + seriesUid
          + "/instances", physicist, "application/dicom+json").body());
      assertThat(instances).hasSize(3);
      List<String> sops = new ArrayList<>();
      for (JsonNode i : instances) {
        sops.add(i.path("00080018").path("Value").get(0).asText());
        assertThat(i.path("00081190").path("Value").get(0).asText()).endsWith("/instances/" + sops.get(sops.size() - 1));
      }
      List<String> posted = new ArrayList<>();
      for (byte[] f : kept) {
        posted.add(Part10.read(f).dataSet().getString(io.seedtrace.dicom.data.Tag.SOPInstanceUID, ""));
      }
      assertThat(sops).containsExactlyElementsOf(posted);
      // the other study's files are gone from where they were: its QIDO answer comes from the index alone
      JsonNode found = JSON.readTree(web.get("/dicomweb/studies?StudyInstanceUID=" + studyOf(other), physicist, null).body());
      assertThat(found).hasSize(1);
      assertThat(found.get(0).path("00201208").path("Value").get(0).asInt()).isEqualTo(3);
      assertThat(found.get(0).path("00080020").path("Value").get(0).asText()).isEqualTo(TODAY);
    } finally {
      Files.move(away, otherDir);
    }
  }

  String httpGet(String path, String token) throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path)).header("Authorization", "Bearer " + token)
            .header("Accept", "application/dicom+json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  @Test
  void aNursesRetrievalAndSearchOfAStudyAreRecordedInThePhiAccessAuditNamingThePatient() throws Exception {
    List<byte[]> files = smallSeries(3);
    String study = studyOf(files);
    String patientId = Part10.read(files.get(0)).dataSet().getString(io.seedtrace.dicom.data.Tag.PatientID, "");
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files)).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> index.instances(study, null, null).size() == files.size());
    String nurse = tokens().forRole("nurse");

    assertThat(web.get("/dicomweb/studies/" + study, nurse, null).status()).isEqualTo(200);
    assertThat(web.get("/dicomweb/studies?PatientID=" + patientId, nurse, null).status()).isEqualTo(200);

    AuditEvent retrieval = awaitDicomAccess("110103", patientId);
    assertThat(retrieval.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(retrieval.getMeta().getProfile()).extracting(u -> u.getValue()).singleElement()
        .satisfies(u -> assertThat(u).endsWith("IHE.BasicAudit.PatientRead"));
    assertThat(retrieval.getSubtypeFirstRep().getCode()).isEqualTo("read");
    assertThat(retrieval.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor).singleElement()
        .satisfies(u -> assertThat(u.getWho().getIdentifier().getValue()).startsWith("nurse"));
    assertThat(retrieval.getAgent()).anySatisfy(a -> assertThat(a.getNetwork().getAddress()).isEqualTo("127.0.0.1"));
    assertThat(retrieval.getEntity()).anySatisfy(e -> {
      assertThat(e.getRole().getCode()).isEqualTo("3");
      assertThat(e.getWhat().getIdentifier().getValue()).isEqualTo(study);
    });
    assertThat(retrieval.getEntityFirstRep().getDetail()).extracting(d -> d.getType()).contains("chain-hash");

    AuditEvent search = awaitDicomAccess("110112", patientId);
    assertThat(search.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(search.getEntity()).anySatisfy(e -> assertThat(new String(e.getQuery(),
        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("/dicomweb/studies?PatientID=" + patientId));
  }

  /** The one DICOMweb access event of this kind (DCM 110103 retrieval, 110112 query) naming the DICOM patient. */
  AuditEvent awaitDicomAccess(String dcmCode, String patientId) {
    java.util.function.Supplier<List<AuditEvent>> found = () -> fhirAs("auditor").search().forResource(AuditEvent.class)
        .where(AuditEvent.SUBTYPE.exactly().systemAndCode("http://dicom.nema.org/resources/ontology/DCM", dcmCode))
        .and(AuditEvent.ENTITY_ROLE.exactly().code("1")).sort().descending(AuditEvent.DATE)
        .count(100).returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getEntry().stream()
        .map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.getEntity().stream().anyMatch(en -> "1".equals(en.getRole().getCode())
            && patientId.equals(en.getWhat().getIdentifier().getValue())))
        .toList();
    await().atMost(Duration.ofSeconds(90)).until(() -> !found.get().isEmpty());
    List<AuditEvent> events = found.get();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @Test
  void metadataOfAStudySeriesOrInstanceIsDicomJsonWithPixelDataByReferenceForReadersOnly() throws Exception {
    List<byte[]> files = smallSeries(3);
    String study = studyOf(files);
    DataSet first = Part10.read(files.get(0)).dataSet();
    String series = first.getString(Tag.SeriesInstanceUID, "");
    String sop = first.getString(Tag.SOPInstanceUID, "");
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files)).status()).isEqualTo(200);
    String physicist = tokens().forRole("physicist");
    String base = "/dicomweb/studies/" + study + "/series/" + series;

    DicomWebClient.Answer answer = web.get(base + "/metadata", physicist, "application/dicom+json");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
    JsonNode instances = JSON.readTree(answer.body());
    assertThat(instances).hasSize(3);
    for (JsonNode instance : instances) {
      assertThat(instance.path("7FE00010").has("Value") || instance.path("7FE00010").has("InlineBinary"))
          .as("Pixel Data only by reference").isFalse();
      assertThat(instance.path("7FE00010").path("BulkDataURI").asText()).endsWith("/bulkdata/7FE00010");
      assertThat(instance.path("0020000E").path("Value").get(0).asText()).isEqualTo(series);
      assertThat(instance.path("00280010").path("vr").asText()).isEqualTo("US");
      assertThat(instance.path("00280010").path("Value").get(0).asInt()).isEqualTo(32);
      assertThat(instance.path("00200032").path("Value")).as("Image Position (DS) as numbers").hasSize(3)
          .allSatisfy(v -> assertThat(v.isNumber()).isTrue());
    }
    JsonNode one = JSON.readTree(web.get(base + "/instances/" + sop + "/metadata", physicist, null).body());
    assertThat(one).hasSize(1);
    assertThat(one.get(0).path("00080018").path("Value").get(0).asText()).isEqualTo(sop);
    assertThat(one.get(0).path("00100020").path("Value").get(0).asText())
        .isEqualTo(first.getString(Tag.PatientID, ""));
    assertThat(JSON.readTree(web.get("/dicomweb/studies/" + study + "/metadata", physicist, null).body())).hasSize(3);

    assertThat(web.get(base + "/metadata", physicist, "multipart/related; type=\"application/dicom\"").status())
        .isEqualTo(406);
    assertThat(web.get("/dicomweb/studies/1.2.3/metadata", physicist, null).status()).isEqualTo(404);
    assertThat(web.get(base + "/metadata", tokens().forRole("pacs"), null).status()).isEqualTo(403);
    assertThat(web.get(base + "/metadata", null, null).status()).isEqualTo(401);
  }

  @Test
  void aNursesMetadataRetrievalIsRecordedInThePhiAccessAudit() throws Exception {
    List<byte[]> files = smallSeries(2);
    String study = studyOf(files);
    String patientId = Part10.read(files.get(0)).dataSet().getString(Tag.PatientID, "");
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(files)).status()).isEqualTo(200);
    assertThat(web.get("/dicomweb/studies/" + study + "/metadata", tokens().forRole("nurse"), null).status())
        .isEqualTo(200);
    AuditEvent retrieval = awaitDicomAccess("110103", patientId);
    assertThat(retrieval.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor).singleElement()
        .satisfies(u -> assertThat(u.getWho().getIdentifier().getValue()).startsWith("nurse"));
    assertThat(retrieval.getEntity()).anySatisfy(e -> assertThat(e.getWhat().getIdentifier().getValue())
        .isEqualTo(study));
  }

  @Test
  void anRleStoredSeriesIsRetrievedAsExplicitLittleEndianWithDcmtksPixelsOrAsStoredOr406() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmcrle")), "DCMTK is not installed");
    List<byte[]> natives = smallSeries(2);
    List<byte[]> rle = new ArrayList<>();
    List<byte[]> byDcmtk = new ArrayList<>();
    for (int i = 0; i < natives.size(); i++) {
      Path in = Files.write(dir.resolve("n" + i + ".dcm"), natives.get(i));
      Path out = dir.resolve("r" + i + ".dcm");
      Path back = dir.resolve("d" + i + ".dcm");
      run("dcmcrle", in.toString(), out.toString());
      run("dcmdrle", out.toString(), back.toString());
      rle.add(Files.readAllBytes(out));
      byDcmtk.add(Files.readAllBytes(back));
    }
    String study = studyOf(rle);
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(rle)).status()).isEqualTo(200);
    String physicist = tokens().forRole("physicist");

    DicomWebClient.Answer decoded = web.get("/dicomweb/studies/" + study, physicist,
        "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
    assertThat(decoded.status()).as(decoded.text()).isEqualTo(200);
    assertThat(decoded.header("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .contains("transfer-syntax=1.2.840.10008.1.2.1"));
    List<byte[]> parts = DicomWebClient.parts(decoded);
    assertThat(parts).hasSize(2);
    for (int i = 0; i < parts.size(); i++) {
      Part10.DicomFile ours = Part10.read(parts.get(i));
      Part10.DicomFile theirs = Part10.read(byDcmtk.get(i));
      assertThat(ours.transferSyntax().uid()).isEqualTo("1.2.840.10008.1.2.1");
      assertThat(ours.dataSet().get(Tag.PixelData).orElseThrow().value()).as("part %d as dcmdrle decodes it", i)
          .isEqualTo(theirs.dataSet().get(Tag.PixelData).orElseThrow().value());
    }

    for (String byDefault : new String[] {null, "multipart/related; type=\"application/dicom\"", "*/*"}) {
      DicomWebClient.Answer answer = web.get("/dicomweb/studies/" + study, physicist, byDefault);
      assertThat(answer.status()).as("Accept %s: %s", byDefault, answer.text()).isEqualTo(200);
      List<byte[]> got = DicomWebClient.parts(answer);
      assertThat(got).as("Accept %s gives what transfer-syntax=1.2.840.10008.1.2.1 gives", byDefault)
          .containsExactlyElementsOf(parts);
    }
    assertPydicomReadsExplicitLittleEndian(parts.get(0), byDcmtk.get(0));

    DicomWebClient.Answer asStored = web.get("/dicomweb/studies/" + study, physicist,
        "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
    assertThat(DicomWebClient.parts(asStored)).extracting(p -> dataSetOf(p)).containsExactlyElementsOf(
        rle.stream().map(DicomWebIT::dataSetOf).toList());

    DicomWebClient.Answer jpeg = web.get("/dicomweb/studies/" + study, physicist,
        "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
    assertThat(jpeg.status()).isEqualTo(406);
    assertThat(jpeg.text()).contains("1.2.840.10008.1.2.5");
  }

  @Test
  void metadataGivesBulkDataUrisThatAnswerWithTheValuesPixelDataDecoded() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmcrle")), "DCMTK is not installed");
    DataSet plain = Part10.read(smallSeries(1).get(0)).dataSet();
    byte[] privateBlob = new byte[5000];
    new java.util.Random(7).nextBytes(privateBlob);
    plain.putString(0x00290010, io.seedtrace.dicom.data.Vr.LO, "SEEDTRACE TEST");
    plain.put(io.seedtrace.dicom.data.Element.ofValue(0x00291001, io.seedtrace.dicom.data.Vr.OB, privateBlob));
    Path in = Files.write(dir.resolve("bulk.dcm"), Part10.toBytes(plain,
        io.seedtrace.dicom.data.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    Path rle = dir.resolve("bulk-rle.dcm");
    run("dcmcrle", in.toString(), rle.toString());
    String sop = plain.getString(Tag.SOPInstanceUID, "");
    String instance = "/dicomweb/studies/" + plain.getString(Tag.StudyInstanceUID, "") + "/series/"
        + plain.getString(Tag.SeriesInstanceUID, "") + "/instances/" + sop;
    assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
        DicomWebClient.body(List.of(Files.readAllBytes(rle)))).status()).isEqualTo(200);
    String physicist = tokens().forRole("physicist");

    JsonNode metadata = JSON.readTree(web.get(instance + "/metadata", physicist, null).body()).get(0);
    String pixelUri = metadata.path("7FE00010").path("BulkDataURI").asText();
    String blobUri = metadata.path("00291001").path("BulkDataURI").asText();
    assertThat(pixelUri).isEqualTo(baseUrl() + instance + "/bulkdata/7FE00010");
    assertThat(blobUri).isEqualTo(baseUrl() + instance + "/bulkdata/00291001");

    DicomWebClient.Answer pixels = web.get(pixelUri.substring(baseUrl().length()), physicist, null);
    assertThat(pixels.status()).as(pixels.text()).isEqualTo(200);
    assertThat(pixels.header("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("multipart/related; type=\"application/octet-stream\""));
    assertThat(DicomWebClient.parts(pixels)).singleElement().as("the pixels decoded from RLE")
        .isEqualTo(plain.get(Tag.PixelData).orElseThrow().value());
    DicomWebClient.Answer blob = web.get(blobUri.substring(baseUrl().length()), physicist,
        "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
    assertThat(DicomWebClient.parts(blob)).singleElement().isEqualTo(privateBlob);

    assertThat(web.get(instance + "/bulkdata/00100010", physicist, null).status()).as("not binary").isEqualTo(404);
    assertThat(web.get(instance + "/bulkdata/7FE0", physicist, null).status()).isEqualTo(400);
    assertThat(web.get(instance + "/bulkdata/7FE00010", physicist, "application/dicom+json").status())
        .isEqualTo(406);
    assertThat(web.get(instance + "/bulkdata/7FE00010", tokens().forRole("pacs"), null).status()).isEqualTo(403);
  }

  /** pydicom (without NumPy) reads the part as Explicit VR Little Endian with DCMTK's decoded pixels. */
  void assertPydicomReadsExplicitLittleEndian(byte[] part, byte[] byDcmtk) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
    Path file = Files.write(dir.resolve("part.dcm"), part);
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import sys, hashlib, pydicom\n"
        + "ds = pydicom.dcmread(sys.argv[1])\n"
        + "print(ds.file_meta.TransferSyntaxUID, hashlib.sha256(ds.PixelData).hexdigest())", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Assumptions.assumeFalse(out.contains("No module named 'pydicom'"), "pydicom is not installed");
    byte[] pixels = Part10.read(byDcmtk).dataSet().get(Tag.PixelData).orElseThrow().value();
    assertThat(out).isEqualTo("1.2.840.10008.1.2.1 " + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(pixels)));
  }

  @Test
  void qidoFindsInstancesAcrossSeriesAndStudiesPageByPage() throws Exception {
    List<byte[]> a = smallSeries(2);
    List<byte[]> b = smallSeries(3);
    for (List<byte[]> files : List.of(a, b)) {
      assertThat(web.post("/dicomweb/studies", tokens().forRole("pacs"), DicomWebClient.STOW_TYPE,
          DicomWebClient.body(files)).status()).isEqualTo(200);
    }
    String physicist = tokens().forRole("physicist");
    String both = "StudyInstanceUID=" + studyOf(a) + "," + studyOf(b);

    JsonNode all = JSON.readTree(web.get("/dicomweb/instances?" + both, physicist, null).body());
    assertThat(all).hasSize(5);
    assertThat(all.findValues("00080018")).extracting(v -> v.path("Value").get(0).asText())
        .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(a.stream(), b.stream())
            .map(f -> uncheckedDataSet(f).getString(Tag.SOPInstanceUID, "")).toList());
    DicomWebClient.Answer page = web.get("/dicomweb/instances?" + both + "&limit=2&offset=1", physicist, null);
    assertThat(JSON.readTree(page.body())).hasSize(2);
    assertThat(page.header("Warning")).hasValueSatisfying(w -> assertThat(w).contains("There are 2 additional"));
    assertThat(JSON.readTree(web.get("/dicomweb/studies/" + studyOf(b) + "/instances", physicist, null).body()))
        .hasSize(3);
    assertThat(JSON.readTree(web.get("/dicomweb/studies/" + studyOf(b) + "/instances?Modality=MR", physicist, null)
        .body())).isEmpty();
    assertThat(web.get("/dicomweb/instances", tokens().forRole("pacs"), null).status()).isEqualTo(403);
  }

  static DataSet uncheckedDataSet(byte[] file) {
    try {
      return Part10.read(file).dataSet();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
  }

  static String dataSetOf(byte[] file) {
    try {
      return java.util.HexFormat.of().formatHex(dataSet(file));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pydicomsCorpusFilesAreStoredOrRefusedWithAReasonAndComeBackUnchanged() throws Exception {
    List<Path> corpus = PydicomCorpus.files();
    Assumptions.assumeFalse(corpus.isEmpty(), "pydicom's sample files are not installed (python3-pydicom)");
    String pacs = tokens().forRole("pacs");
    String physicist = tokens().forRole("physicist");
    int stored = 0;
    int explicitByDefault = 0;
    List<String> refused = new ArrayList<>();
    List<String> notByDefault = new ArrayList<>();
    for (Path f : corpus) {
      byte[] file = Files.readAllBytes(f);
      if (file.length > 1_000_000) {
        continue; // over the tests' part limit
      }
      DicomWebClient.Answer answer = web.post("/dicomweb/studies", pacs, DicomWebClient.STOW_TYPE,
          DicomWebClient.body(List.of(file)));
      assertThat(answer.status()).as(f + ": " + answer.text()).isIn(200, 409);
      if (answer.status() == 409) {
        refused.add(f.getFileName() + " (" + sequence(answer, "00081198").get(0).path("00081197").path("Value").get(0)
            .asInt() + ": " + answer.header("Warning").orElse("") + ")");
        continue;
      }
      stored++;
      JsonNode urls = sequence(answer, "00081199").get(0).path("00081190").path("Value");
      assertThat(urls).as("Retrieve URL of %s", f).hasSize(1);
      String url = urls.get(0).asText();
      DicomWebClient.Answer wado = web.get(url.substring(baseUrl().length()), physicist,
          "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
      assertThat(wado.status()).as(url).isEqualTo(200);
      assertThat(dataSet(DicomWebClient.parts(wado).get(0))).as("%s comes back as posted", f).isEqualTo(dataSet(file));
      DicomWebClient.Answer byDefault = web.get(url.substring(baseUrl().length()), physicist, null);
      if (byDefault.status() == 200) {
        assertThat(Part10.read(DicomWebClient.parts(byDefault).get(0)).transferSyntax().uid()).as("%s by default", f)
            .isEqualTo("1.2.840.10008.1.2.1");
        explicitByDefault++;
      } else {
        assertThat(byDefault.status()).as(f + ": " + byDefault.text()).isEqualTo(406);
        assertThat(byDefault.text()).contains("is stored in transfer syntax");
        notByDefault.add(f.getFileName() + " (" + Transcoder.storedSyntax(f) + ")");
      }
    }
    System.out.printf("DICOMWEB corpus by default: %d given as Explicit VR Little Endian, %d refused with 406: %s%n",
        explicitByDefault, notByDefault.size(), notByDefault);
    System.out.printf("DICOMWEB corpus: %d files of at most 1 MB, %d stored, %d refused: %s%n", stored + refused.size(),
        stored, refused.size(), refused);
    assertThat(stored).isPositive();
    // whole files whose encapsulated Pixel Data is followed by Data Set Trailing Padding
    assertThat(refused).noneMatch(r -> r.startsWith("MR_small_RLE") || r.startsWith("MR_small_jp2klossless")
        || r.startsWith("MR_small_jpeg_ls_lossless"));
  }
}
