package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.DicomNode;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.QueryRetrieveScu.GetStorage;
import io.seedtrace.dicom.net.QueryRetrieveScu.Limits;
import io.seedtrace.dicom.net.QueryRetrieveScu.MoveResult;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.testing.Dcmqrscp;
import io.seedtrace.dicom.testing.OrthancPacs;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.QrPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C-GET against real archives (Orthanc, DCMTK's dcmqrscp) for a PACS that cannot connect back to
 * us: the CT series comes on our own association, is stored into the node's spool exactly like a
 * pushed series (while the node's Storage SCP admits nobody), and the retrieval stays bounded. A
 * PACS that drops the connection mid-series leaves what it sent stored and the series held as
 * interrupted; a retry brings the rest and the series is verified once, whole.
 */
class QueryRetrieveScuGetInteropTest {

  private static final Limits LIMITS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 100);
  private static final GetStorage CT = new GetStorage(List.of(NodeConfig.CT_IMAGE),
      NodeConfig.NATIVE_TRANSFER_SYNTAXES);

  @TempDir
  Path work;

  @Test
  void getsTheCtFromOrthancOnOurOwnAssociation() throws Exception {
    assumeTrue(OrthancPacs.installed(), "Orthanc is not installed; C-GET test skipped");
    // Orthanc knows our AE at a port where nothing listens: it could not C-MOVE to us
    getsTheSeries(ourPortUnused -> OrthancPacs.start(work, "ORTHANC", "SEEDTRACE", Peers.freePort()));
  }

  @Test
  void getsTheCtFromDcmqrscpOnOurOwnAssociation() throws Exception {
    assumeTrue(Dcmqrscp.installed(), "DCMTK dcmqrscp/storescu are not installed; C-GET test skipped");
    getsTheSeries(ourPortUnused -> Dcmqrscp.start(work, "NOBODY", Peers.freePort()));
  }

  private void getsTheSeries(QueryRetrieveScuInteropTest.PeerStarter starter) throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    try (DicomNode node = DicomNode.start(closedNode(Duration.ofMinutes(5)), events::add);
        QrPeer pacs = starter.start(node.port())) {
      pacs.load(archive.all());
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", pacs.aeTitle(),
          LIMITS, Optional.empty(), CT)) {
        assertThat(scu.canReceiveByGet(NodeConfig.CT_IMAGE)).as("SCP role for CT accepted").isTrue();
        MoveResult got = scu.getSeries(archive.studyUid(), archive.seriesUid(), node.spool());
        assertThat(got.complete()).as(got.toString()).isTrue();
        assertThat(got.completed()).isEqualTo(7);
      }
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("the retrieved series became stable in our spool").isNotNull();
      assertThat(event.seriesUid()).isEqualTo(archive.seriesUid());
      assertThat(event.instanceCount()).isEqualTo(7);
      assertThat(event.completeness().complete()).isTrue();
      assertThat(node.spool().indexed()).extracting(InstanceRecord::sopInstanceUid)
          .containsExactlyInAnyOrderElementsOf(sopUids(archive.wanted()));
      assertThat(node.recentAssociations()).as("no association came to our Storage SCP").isEmpty();
    }
  }

  @Test
  void aGetWithMoreInstancesThanTheCapStoresOnlyTheCapAndIsNotComplete() throws Exception {
    assumeTrue(Dcmqrscp.installed(), "DCMTK dcmqrscp/storescu are not installed; C-GET test skipped");
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    try (DicomNode node = DicomNode.start(closedNode(Duration.ofMinutes(5)), e -> {});
        QrPeer pacs = Dcmqrscp.start(work, "NOBODY", Peers.freePort())) {
      pacs.load(archive.wanted());
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", pacs.aeTitle(),
          new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 3), Optional.empty(), CT)) {
        MoveResult got = scu.getSeries(archive.studyUid(), archive.seriesUid(), node.spool());
        assertThat(got.complete()).as(got.toString()).isFalse();
      }
      node.spool().awaitInPlace();
      assertThat(node.spool().indexed()).hasSize(3);
    }
  }

  @Test
  void aPacsThatDropsTheConnectionMidSeriesLeavesWhatItSentAndARetryCompletesTheSeries() throws Exception {
    assumeTrue(OrthancPacs.installed(), "Orthanc is not installed; C-GET test skipped");
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    try (DicomNode node = DicomNode.start(closedNode(Duration.ofSeconds(30)), events::add);
        ServerSocket failing = new ServerSocket(0)) {
      Thread pacs = new Thread(() -> sendSomeThenDrop(failing, archive.wanted(), 3));
      pacs.start();
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", failing.getLocalPort(), "SEEDTRACE", "FAILING",
          LIMITS, Optional.empty(), CT)) {
        assertThatThrownBy(() -> scu.getSeries(archive.studyUid(), archive.seriesUid(), node.spool()))
            .isInstanceOf(IOException.class).hasMessageContaining("after 3 instances stored");
      }
      pacs.join(10_000);
      node.spool().awaitInPlace();
      assertThat(node.spool().indexed()).as("what was received stays").hasSize(3);
      assertThat(events).as("an interrupted series waits for the rest").isEmpty();

      try (QrPeer orthanc = OrthancPacs.start(work, "ORTHANC", "SEEDTRACE", Peers.freePort())) {
        orthanc.load(archive.wanted());
        try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", orthanc.port(), "SEEDTRACE", "ORTHANC",
            LIMITS, Optional.empty(), CT)) {
          assertThat(scu.getSeries(archive.studyUid(), archive.seriesUid(), node.spool()).complete()).isTrue();
        }
      }
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.instanceCount()).isEqualTo(7);
      assertThat(event.completeness().complete()).as(event.completeness().describe()).isTrue();
    }
  }

  @Test
  void anOrthancKilledMidSeriesLeavesWhatItSentAndAFreshOneCompletesTheSeries() throws Exception {
    assumeTrue(OrthancPacs.installed(), "Orthanc is not installed; C-GET test skipped");
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    try (DicomNode node = DicomNode.start(closedNode(Duration.ofSeconds(30)), events::add);
        OrthancPacs crashing = OrthancPacs.start(java.nio.file.Files.createDirectories(work.resolve("crashing")),
            "ORTHANC", "SEEDTRACE", Peers.freePort())) {
      crashing.load(archive.wanted());
      java.util.concurrent.atomic.AtomicInteger begun = new java.util.concurrent.atomic.AtomicInteger();
      StoreHandler killsThePacsAtTheThirdInstance = new StoreHandler() {
        @Override
        public Sink begin(StoreContext context) throws IOException {
          if (begun.incrementAndGet() == 3) {
            crashing.kill();
          }
          return node.spool().begin(context);
        }

        @Override
        public void associationEnded(String associationId, boolean released) {
          node.spool().associationEnded(associationId, released);
        }
      };
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", crashing.port(), "SEEDTRACE", "ORTHANC",
          LIMITS, Optional.empty(), CT)) {
        assertThatThrownBy(() -> scu.getSeries(archive.studyUid(), archive.seriesUid(), killsThePacsAtTheThirdInstance))
            .isInstanceOf(IOException.class);
      }
      node.spool().awaitInPlace();
      assertThat(node.spool().indexed()).as("what was received stays").hasSizeBetween(2, 3);
      assertThat(events).isEmpty();

      try (QrPeer orthanc = OrthancPacs.start(java.nio.file.Files.createDirectories(work.resolve("fresh")), "ORTHANC",
          "SEEDTRACE", Peers.freePort())) {
        orthanc.load(archive.wanted());
        try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", orthanc.port(), "SEEDTRACE", "ORTHANC",
            LIMITS, Optional.empty(), CT)) {
          assertThat(scu.getSeries(archive.studyUid(), archive.seriesUid(), node.spool()).complete()).isTrue();
        }
      }
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.instanceCount()).isEqualTo(7);
      assertThat(event.completeness().complete()).as(event.completeness().describe()).isTrue();
    }
  }

  /** A node whose Storage SCP admits no peer: whatever it holds came by C-GET. */
  private NodeConfig closedNode(Duration incompleteGrace) {
    return NodeConfig.defaults(work.resolve("spool")).withPort(0).withPeers(Set.of(), Set.of())
        .withQuietTime(Duration.ofMillis(300)).withIncompleteGrace(incompleteGrace);
  }

  private static List<String> sopUids(List<byte[]> files) {
    return files.stream().map(f -> QueryRetrieveScuInteropTest.read(f).getString(Tag.SOPInstanceUID, "")).toList();
  }

  @Test
  void aSeriesFetchedWholeIsNotHeldBackWhenALaterGetOnTheSameAssociationBreaksOff() throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    QueryRetrieveScuInteropTest.Archive first = QueryRetrieveScuInteropTest.archive();
    QueryRetrieveScuInteropTest.Archive second = QueryRetrieveScuInteropTest.archive();
    try (DicomNode node = DicomNode.start(closedNode(Duration.ofMinutes(5)), events::add);
        ServerSocket failing = new ServerSocket(0)) {
      Thread pacs = new Thread(() -> scriptedPacs(failing, List.of(first.wanted(), second.wanted()), 2));
      pacs.start();
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", failing.getLocalPort(), "SEEDTRACE", "FAILING",
          LIMITS, Optional.empty(), CT)) {
        MoveResult whole = scu.getSeries(first.studyUid(), first.seriesUid(), node.spool());
        assertThat(whole.complete()).as(whole.toString()).isTrue();
        assertThat(whole.completed()).isEqualTo(7);
        assertThatThrownBy(() -> scu.getSeries(second.studyUid(), second.seriesUid(), node.spool()))
            .isInstanceOf(IOException.class).hasMessageContaining("after 2 instances stored");
      }
      pacs.join(10_000);
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("the whole series is stable after the quiet time, not after the grace").isNotNull();
      assertThat(event.seriesUid()).isEqualTo(first.seriesUid());
      assertThat(event.completeness().complete()).as(event.completeness().describe()).isTrue();
      assertThat(events).as("the broken-off series waits for the rest").isEmpty();
    }
  }

  /** A scripted C-GET SCP that drops the connection after {@code count} instances of its first C-GET. */
  private static void sendSomeThenDrop(ServerSocket server, List<byte[]> files, int count) {
    scriptedPacs(server, List.of(files), count);
  }

  /**
   * A scripted C-GET SCP that accepts every context and role, answers one C-GET per list of files
   * (all sent as C-STORE sub-operations, each answered by us, then a final success), except the last
   * C-GET: of it only {@code sendOfLast} instances are sent, then the connection is dropped without a word.
   */
  private static void scriptedPacs(ServerSocket server, List<List<byte[]>> gets, int sendOfLast) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      Pdu.AssociateRq rq = (Pdu.AssociateRq) PduCodec.read(in, 1 << 20);
      List<Pdu.AcceptedContext> accepted = new ArrayList<>();
      int ctContext = -1;
      for (Pdu.ProposedContext pc : rq.contexts()) {
        accepted.add(new Pdu.AcceptedContext(pc.id(), Pdu.AcceptedContext.ACCEPTANCE, pc.transferSyntaxes().get(0)));
        if (pc.abstractSyntax().equals(NodeConfig.CT_IMAGE) && pc.transferSyntaxes().get(0).equals("1.2.840.10008.1.2.1")) {
          ctContext = pc.id();
        }
      }
      List<Pdu.RoleSelection> roles = rq.userInfo().roles().stream()
          .map(r -> new Pdu.RoleSelection(r.sopClassUid(), false, true)).toList();
      out.write(PduCodec.encode(new Pdu.AssociateAc(rq.calledAe(), rq.callingAe(), Pdu.APPLICATION_CONTEXT, accepted,
          new Pdu.UserInfo(1 << 20, "1.2.3.4", "FAILING", 1, 1, roles))));
      for (int g = 0; g < gets.size(); g++) {
        Pdu.Pdv getCommand = awaitLastPdv(in, true);
        awaitLastPdv(in, false); // its identifier
        boolean last = g == gets.size() - 1;
        List<byte[]> files = gets.get(g);
        int count = last ? sendOfLast : files.size();
        for (int i = 0; i < count; i++) {
          byte[] file = files.get(i);
          String sop = QueryRetrieveScuInteropTest.read(file).getString(Tag.SOPInstanceUID, "");
          byte[] dataSet = Arrays.copyOfRange(file, Part10.dataSetOffset(file), file.length);
          out.write(PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(ctContext, true, true,
              Dimse.encode(Dimse.storeRq(100 + i, NodeConfig.CT_IMAGE, sop)))))));
          out.write(PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(ctContext, false, true, dataSet)))));
          awaitLastPdv(in, true); // our C-STORE response
        }
        if (last) {
          return; // dropped
        }
        io.seedtrace.dicom.data.DataSet done = Dimse.response(Dimse.decode(getCommand.data()), Dimse.SUCCESS, null)
            .putUS(Tag.NumberOfCompletedSuboperations, count).putUS(Tag.NumberOfFailedSuboperations, 0)
            .putUS(Tag.NumberOfWarningSuboperations, 0);
        out.write(PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(getCommand.contextId(), true, true,
            Dimse.encode(done))))));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next last fragment of a command ({@code command}) or data set; commands come in one PDV here. */
  private static Pdu.Pdv awaitLastPdv(InputStream in, boolean command) throws Exception {
    while (true) {
      Pdu pdu = PduCodec.read(in, 1 << 24);
      if (pdu instanceof Pdu.PDataTf p) {
        for (Pdu.Pdv v : p.pdvs()) {
          if (v.last() && v.command() == command) {
            return v;
          }
        }
      }
    }
  }
}
