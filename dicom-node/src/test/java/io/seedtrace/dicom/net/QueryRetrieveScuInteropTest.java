package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.DicomNode;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.QueryRetrieveScu.Limits;
import io.seedtrace.dicom.net.QueryRetrieveScu.MoveResult;
import io.seedtrace.dicom.net.QueryRetrieveScu.Series;
import io.seedtrace.dicom.net.QueryRetrieveScu.Study;
import io.seedtrace.dicom.net.QueryRetrieveScu.StudyQuery;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.testing.Dcmqrscp;
import io.seedtrace.dicom.testing.OrthancPacs;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.QrPeer;
import io.seedtrace.dicom.testing.TestCt;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Query/Retrieve SCU against real archives, DCMTK's dcmqrscp and Orthanc: it finds a patient's
 * post-implant CT by patient and date among other studies, moves the series to our own node, which
 * receives every instance as if it had been pushed, and stays bounded against a PACS that is down
 * or has more matches than we take.
 */
class QueryRetrieveScuInteropTest {

  private static final String PATIENT = "IP-2026-0042";
  private static final Limits LIMITS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 100);

  @TempDir
  Path work;

  /** What a PACS holds for the test: the CT wanted, an older CT of the same patient, another patient's CT. */
  record Archive(List<byte[]> wanted, String studyUid, String seriesUid, List<byte[]> all) {}

  static Archive archive() {
    List<byte[]> wanted = ct(PATIENT, "20261124", 7);
    List<byte[]> all = new ArrayList<>(wanted);
    all.addAll(ct(PATIENT, "20250301", 3));
    all.addAll(ct("OTHER-7", "20261124", 2));
    DataSet first = read(wanted.get(0));
    return new Archive(wanted, first.getString(Tag.StudyInstanceUID, ""), first.getString(Tag.SeriesInstanceUID, ""),
        all);
  }

  static List<byte[]> ct(String patient, String date, int slices) {
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      DataSet ds = TestCt.slice(study, series, TestCt.uid(), i, 32, 7);
      ds.putString(Tag.PatientID, Vr.LO, patient);
      ds.putString(Tag.StudyDate, Vr.DA, date);
      ds.putString(Tag.StudyTime, Vr.TM, "101500");
      files.add(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    return files;
  }

  static DataSet read(byte[] file) {
    try {
      return Part10.read(file).dataSet();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void findsAndMovesTheCtFromDcmqrscp() throws Exception {
    assumeTrue(Dcmqrscp.installed(), "DCMTK dcmqrscp/storescu are not installed; Query/Retrieve test skipped");
    findsAndMoves(Dcmqrscp.AE, port -> Dcmqrscp.start(work, "SEEDTRACE", port));
  }

  @Test
  void findsAndMovesTheCtFromOrthanc() throws Exception {
    assumeTrue(OrthancPacs.installed(), "Orthanc is not installed; Query/Retrieve test skipped");
    findsAndMoves("ORTHANC", port -> OrthancPacs.start(work, "ORTHANC", "SEEDTRACE", port));
  }

  interface PeerStarter {
    QrPeer start(int ourPort) throws IOException;
  }

  private void findsAndMoves(String pacsAe, PeerStarter starter) throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of(pacsAe), Set.of("127.0.0.1")).withQuietTime(Duration.ofMillis(300));
    Archive archive = archive();
    try (DicomNode node = DicomNode.start(config, events::add); QrPeer pacs = starter.start(node.port())) {
      pacs.load(archive.all());
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", pacs.aeTitle(),
          LIMITS)) {
        var studies = scu.findStudies(new StudyQuery(PATIENT, LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 30),
            "CT"));
        assertThat(studies.truncated()).isFalse();
        assertThat(studies.items()).extracting(Study::studyUid).containsExactly(archive.studyUid());
        assertThat(studies.items().get(0).studyDate()).isEqualTo("20261124");

        var series = scu.findSeries(archive.studyUid(), "CT");
        assertThat(series.items()).extracting(Series::seriesUid).containsExactly(archive.seriesUid());
        assertThat(series.items().get(0).instances()).isIn(-1, 7);

        MoveResult moved = scu.moveSeries(archive.studyUid(), archive.seriesUid(), "SEEDTRACE");
        assertThat(moved.complete()).as(moved.toString()).isTrue();
        assertThat(moved.completed()).isEqualTo(7);
        assertThat(moved.failed()).isZero();
      }
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("the moved series became stable in our spool").isNotNull();
      assertThat(event.seriesUid()).isEqualTo(archive.seriesUid());
      assertThat(event.instanceCount()).isEqualTo(7);
      assertThat(node.spool().indexed()).extracting(InstanceRecord::sopInstanceUid)
          .containsExactlyInAnyOrderElementsOf(archive.wanted().stream()
              .map(f -> read(f).getString(Tag.SOPInstanceUID, "")).toList());
    }
  }

  @Test
  void aFindWithMoreMatchesThanTheCapIsCancelledAndSaysSo() throws Exception {
    assumeTrue(Dcmqrscp.installed(), "DCMTK dcmqrscp/storescu are not installed; Query/Retrieve test skipped");
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.addAll(ct(PATIENT, "2026112" + i, 1));
    }
    try (QrPeer pacs = Dcmqrscp.start(work, "SEEDTRACE", Peers.freePort())) {
      pacs.load(files);
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", pacs.aeTitle(),
          new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 2))) {
        var studies = scu.findStudies(new StudyQuery(PATIENT, null, null, null));
        assertThat(studies.truncated()).isTrue();
        assertThat(studies.items()).hasSize(2);
        // the association is still usable after the cancel
        assertThat(scu.findStudies(new StudyQuery(PATIENT, LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 22),
            null)).items()).hasSize(1);
      }
    }
  }

  @Test
  void aMoveToAnAeThePacsDoesNotKnowEndsInAFailureStatusNotSuccess() throws Exception {
    assumeTrue(Dcmqrscp.installed(), "DCMTK dcmqrscp/storescu are not installed; Query/Retrieve test skipped");
    Archive archive = archive();
    try (QrPeer pacs = Dcmqrscp.start(work, "SEEDTRACE", Peers.freePort())) {
      pacs.load(archive.wanted());
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", pacs.aeTitle(),
          LIMITS)) {
        MoveResult moved = scu.moveSeries(archive.studyUid(), archive.seriesUid(), "NOBODY");
        assertThat(moved.complete()).isFalse();
        assertThat(moved.status()).isNotEqualTo(Dimse.SUCCESS);
      }
    }
  }

  @Test
  void aPacsThatAcceptsTheConnectionButNeverAnswersIsGivenUpOnAfterTheResponseTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread accepter = new Thread(() -> {
        try (Socket held = silent.accept()) {
          held.getInputStream().readAllBytes(); // reads the request, answers nothing, until we close
        } catch (IOException closed) {
          // the SCU gave up
        }
      });
      accepter.start();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> QueryRetrieveScu.open("127.0.0.1", silent.getLocalPort(), "SEEDTRACE", "PACS",
          new Limits(Duration.ofSeconds(1), Duration.ofSeconds(60), 100)))
          .isInstanceOf(IOException.class).hasMessageContaining("No association answer from PACS");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
      accepter.join(5000);
    }
  }

  @Test
  void aPacsThatIsDownIsAClearErrorWithinTheTimeout() throws Exception {
    int closed = Peers.freePort();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> QueryRetrieveScu.open("127.0.0.1", closed, "SEEDTRACE", "PACS", LIMITS))
        .isInstanceOf(IOException.class).hasMessageContaining("Cannot connect to PACS at 127.0.0.1:" + closed);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }
}
