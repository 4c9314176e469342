package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.DicomNode;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Query/Retrieve SCP against DCMTK's SCUs: {@code findscu -P} (Patient Root) and {@code -S}
 * (Study Root) find what the running node holds at each level, {@code movescu -P} and {@code -S}
 * have it send a study or a series to DCMTK's storescp, which receives every instance.
 */
class QueryRetrieveScpInteropTest {

  private static final String PATIENT = "IP-2026-0042";

  @TempDir
  Path work;

  @Test
  void dcmtkFindsAndMovesByPatientRootAndStudyRoot() throws Exception {
    assumeTrue(Tools.installed("findscu") && Tools.installed("movescu") && Tools.installed("storescp"),
        "DCMTK findscu/movescu/storescp are not installed");
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    int viewerPort = Peers.freePort();
    Path received = Files.createDirectories(work.resolve("viewer"));
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("STORESCU", "FINDSCU", "MOVESCU"), Set.of("127.0.0.1"))
        .withQueryRetrieve(true, Map.of("VIEWER", "127.0.0.1:" + viewerPort));
    Process viewer = new ProcessBuilder("storescp", "-aet", "VIEWER", "-od", received.toString(),
        Integer.toString(viewerPort)).redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile())
        .start();
    List<QueryRetrieveScp.Access> accesses = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DicomNode node = DicomNode.start(config, java.util.Optional.empty(), e -> {}, accesses::add)) {
      Peers.awaitListening(viewerPort, viewer, 20);
      load(node.port(), archive.all());
      String port = Integer.toString(node.port());

      List<DataSet> patients = find(port, "-P", "PATIENT", "PatientID", "PatientName");
      assertThat(patients).extracting(d -> d.getString(Tag.PatientID, ""))
          .containsExactlyInAnyOrder(PATIENT, "OTHER-7");
      assertThat(patients).allSatisfy(p -> assertThat(p.getString(Tag.QueryRetrieveLevel, "")).isEqualTo("PATIENT"));

      List<DataSet> studies = find(port, "-P", "STUDY", "PatientID=" + PATIENT, "StudyInstanceUID", "StudyDate",
          "ModalitiesInStudy", "NumberOfStudyRelatedInstances");
      assertThat(studies).extracting(d -> d.getString(Tag.StudyDate, "")).containsExactlyInAnyOrder("20261124",
          "20250301");
      DataSet wanted = studies.stream().filter(d -> d.getString(Tag.StudyDate, "").equals("20261124")).findFirst()
          .orElseThrow();
      assertThat(wanted.getString(Tag.StudyInstanceUID, "")).isEqualTo(archive.studyUid());
      assertThat(wanted.getString(Tag.ModalitiesInStudy, "")).isEqualTo("CT");
      assertThat(wanted.getString(Tag.NumberOfStudyRelatedInstances, "")).isEqualTo("7");

      assertThat(find(port, "-P", "STUDY", "PatientID=" + PATIENT, "StudyDate=20261101-20261130",
          "StudyInstanceUID")).extracting(d -> d.getString(Tag.StudyInstanceUID, ""))
          .containsExactly(archive.studyUid());
      assertThat(find(port, "-P", "SERIES", "PatientID=" + PATIENT, "StudyInstanceUID=" + archive.studyUid(),
          "SeriesInstanceUID", "Modality")).extracting(d -> d.getString(Tag.SeriesInstanceUID, ""))
          .containsExactly(archive.seriesUid());
      assertThat(find(port, "-P", "IMAGE", "StudyInstanceUID=" + archive.studyUid(),
          "SeriesInstanceUID=" + archive.seriesUid(), "SOPInstanceUID")).hasSize(7);
      assertThat(find(port, "-S", "STUDY", "PatientID=IP-2026-*", "StudyInstanceUID")).hasSize(2);
      assertThat(find(port, "-S", "PATIENT", "PatientID")).as("Study Root has no PATIENT level").isEmpty();

      move(port, "-P", "STUDY", "PatientID=" + PATIENT, "StudyInstanceUID=" + archive.studyUid());
      assertThat(sopUids(received)).containsExactlyInAnyOrderElementsOf(sopUids(archive.wanted()));
      move(port, "-S", "SERIES", "StudyInstanceUID=" + archive.studyUid(), "SeriesInstanceUID=" + archive.seriesUid());
      assertThat(sopUids(received)).hasSize(7);
      Tools.run(List.of("movescu", "-S", "-aet", "MOVESCU", "-aec", "SEEDTRACE", "-aem", "NOWHERE",
          "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + archive.studyUid(), "127.0.0.1", port),
          work.resolve("unknown.log"));
      assertThat(Files.readString(work.resolve("unknown.log"))).contains("MoveDestinationUnknown");
      assertReported(accesses, archive);
    } finally {
      viewer.destroy();
    }
  }

  /**
   * Every C-FIND and C-MOVE that disclosed something was reported with its caller, keys and what it
   * disclosed; the PATIENT query of Study Root and the move to an unknown destination were not.
   */
  private static void assertReported(List<QueryRetrieveScp.Access> accesses,
      QueryRetrieveScuInteropTest.Archive archive) {
    assertThat(accesses).filteredOn(a -> !a.retrieve()).hasSize(6).allSatisfy(a -> {
      assertThat(a.caller().callingAe()).isEqualTo("FINDSCU");
      assertThat(a.caller().address()).isEqualTo("127.0.0.1");
      assertThat(a.request()).startsWith("C-FIND ");
    });
    assertThat(accesses.get(1).request()).isEqualTo("C-FIND STUDY (0010,0020)=" + PATIENT);
    assertThat(accesses.get(1).studiesByPatient().get(PATIENT)).hasSize(2).contains(archive.studyUid());
    assertThat(accesses).filteredOn(QueryRetrieveScp.Access::retrieve).hasSize(2).allSatisfy(a -> {
      assertThat(a.caller().callingAe()).isEqualTo("MOVESCU");
      assertThat(a.destination()).isEqualTo("VIEWER");
      assertThat(a.instances()).hasSize(7);
      assertThat(a.studiesByPatient()).isEqualTo(Map.of(PATIENT, Set.of(archive.studyUid())));
    });
  }

  private void load(int port, List<byte[]> files) throws Exception {
    try (StoreScu scu = StoreScu.open("127.0.0.1", port, "STORESCU", "SEEDTRACE",
        List.of(new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"))), 10_000)) {
      for (byte[] f : files) {
        assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
      }
    }
  }

  private int runs;

  /** findscu at this level with these keys; the answers it extracted. */
  private List<DataSet> find(String port, String model, String level, String... keys) throws Exception {
    Path out = Files.createDirectories(work.resolve("find" + ++runs));
    List<String> command = new ArrayList<>(List.of("findscu", model, "-aet", "FINDSCU", "-aec", "SEEDTRACE", "-X",
        "-od", out.toString(), "-k", "QueryRetrieveLevel=" + level));
    for (String k : keys) {
      command.addAll(List.of("-k", k));
    }
    command.addAll(List.of("127.0.0.1", port));
    Tools.run(command, work.resolve("find" + runs + ".log")); // a refused query extracts nothing
    List<DataSet> answers = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.sorted().toList()) {
        answers.add(Part10.read(Files.readAllBytes(f)).dataSet());
      }
    }
    return answers;
  }

  private void move(String port, String model, String level, String... keys) throws Exception {
    List<String> command = new ArrayList<>(List.of("movescu", model, "-aet", "MOVESCU", "-aec", "SEEDTRACE",
        "-aem", "VIEWER", "-k", "QueryRetrieveLevel=" + level));
    for (String k : keys) {
      command.addAll(List.of("-k", k));
    }
    command.addAll(List.of("127.0.0.1", port));
    Path log = work.resolve("move" + ++runs + ".log");
    Tools.check(command, log);
    assertThat(Files.readString(log)).doesNotContain("Failed");
  }

  private static List<String> sopUids(Path dir) throws Exception {
    List<String> uids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        uids.add(Part10.read(Files.readAllBytes(f)).dataSet().getString(Tag.SOPInstanceUID, ""));
      }
    }
    return uids;
  }

  private static List<String> sopUids(List<byte[]> files) {
    return files.stream().map(f -> QueryRetrieveScuInteropTest.read(f).getString(Tag.SOPInstanceUID, "")).toList();
  }
}
