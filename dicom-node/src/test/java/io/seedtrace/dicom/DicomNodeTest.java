package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.AssociationAbortedException;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.testing.TestCt;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node over real sockets on an ephemeral port, with our own SCU as the peer. */
class DicomNodeTest {

  private static final List<StoreScu.Proposal> CT = List.of(
      new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1")));

  @TempDir
  Path spool;

  private NodeConfig config() {
    return NodeConfig.defaults(spool).withPort(0).withPeers(Set.of("PACS"), Set.of("127.0.0.1"))
        .withQuietTime(Duration.ofMillis(300));
  }

  @Test
  void storesEveryInstanceDurablyAndAnnouncesTheSeriesOnce() throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    List<byte[]> files = TestCt.series(5, 32);
    try (DicomNode node = DicomNode.start(config(), events::add)) {
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
        for (byte[] f : files) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
      }
      SeriesStableEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.instanceCount()).isEqualTo(5);
      assertThat(event.modality()).isEqualTo("CT");
      assertThat(event.accessionNumber()).isEqualTo("ACC-2026-77812");
      assertThat(event.patientId()).isEqualTo("IP-2026-0042");
      assertThat(event.update()).isFalse();
      assertThat(events.poll(600, TimeUnit.MILLISECONDS)).as("one event per quiet series").isNull();
      for (byte[] f : files) {
        Part10.DicomFile sent = Part10.read(f);
        Path stored = spool.resolve(sent.dataSet().getString(Tag.StudyInstanceUID, ""))
            .resolve(sent.dataSet().getString(Tag.SeriesInstanceUID, ""))
            .resolve(sent.dataSet().getString(Tag.SOPInstanceUID, "") + ".dcm");
        byte[] storedBytes = Files.readAllBytes(stored);
        Part10.DicomFile back = Part10.read(storedBytes);
        assertThat(Arrays.copyOfRange(storedBytes, back.dataSetOffset(), storedBytes.length))
            .as("data set stored bit for bit").isEqualTo(Arrays.copyOfRange(f, sent.dataSetOffset(), f.length));
        assertThat(back.meta().getString(Tag.SourceApplicationEntityTitle)).contains("PACS");
      }
      assertThat(node.spool().indexed()).hasSize(5);
    }
  }

  @Test
  void theSameInstanceTwiceIsStoredOnceAndLateInstancesReopenTheSeries() throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    List<byte[]> files = TestCt.series(3, 16);
    try (DicomNode node = DicomNode.start(config(), events::add)) {
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(scu.store(files.get(0))).isEqualTo(Dimse.SUCCESS);
        assertThat(scu.store(files.get(0))).isEqualTo(Dimse.SUCCESS);
        assertThat(scu.store(files.get(1))).isEqualTo(Dimse.SUCCESS);
      }
      assertThat(events.poll(10, TimeUnit.SECONDS).instanceCount()).isEqualTo(2);
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(scu.store(files.get(2))).isEqualTo(Dimse.SUCCESS);
      }
      SeriesStableEvent update = events.poll(10, TimeUnit.SECONDS);
      assertThat(update.instanceCount()).isEqualTo(3);
      assertThat(update.update()).isTrue();
      assertThat(node.spool().indexed()).hasSize(3);
    }
  }

  @Test
  void aSeriesWhoseAssociationWasAbortedWaitsTheGraceAndIsAnnouncedAsInterruptedUntilAReleasedResend()
      throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    List<byte[]> files = TestCt.series(6, 16);
    Duration grace = Duration.ofSeconds(2);
    try (DicomNode node = DicomNode.start(config().withIncompleteGrace(grace), events::add)) {
      long aborted;
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        for (byte[] f : files.subList(0, 3)) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
        scu.abort();
        aborted = System.nanoTime();
      }
      SeriesStableEvent cut = events.poll(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - aborted)).as("held for the grace, not the quiet time")
          .isGreaterThan(grace.minusMillis(300));
      assertThat(cut.instanceCount()).isEqualTo(3);
      assertThat(cut.completeness().interrupted()).isTrue();
      assertThat(cut.completeness().complete()).isFalse();

      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        for (byte[] f : files) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
      }
      SeriesStableEvent whole = events.poll(10, TimeUnit.SECONDS);
      assertThat(whole.instanceCount()).isEqualTo(6);
      assertThat(whole.update()).isTrue();
      assertThat(whole.completeness().complete()).isTrue();
    }
  }

  /** The administrator's list: who called, how many instances, released or broken off, newest first. */
  @Test
  void keepsTheLastAssociationsWithTheirCallerInstancesAndHowTheyEnded() throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    List<byte[]> first = TestCt.series(3, 16);
    List<byte[]> second = TestCt.series(2, 16);
    try (DicomNode node = DicomNode.start(config().withIncompleteGrace(Duration.ofSeconds(1)), events::add)) {
      assertThat(node.recentAssociations()).isEmpty();
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
        for (byte[] f : first) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
      }
      assertThat(events.poll(10, TimeUnit.SECONDS)).isNotNull();
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        for (byte[] f : second) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
        scu.abort();
      }
      // the series is announced as interrupted only after its association's end was heard
      assertThat(events.poll(10, TimeUnit.SECONDS).completeness().interrupted()).isTrue();
      List<io.seedtrace.dicom.net.AssociationLog.Entry> recent = node.recentAssociations();
      assertThat(recent).hasSize(2);
      assertThat(recent.get(0).instances()).isEqualTo(2);
      assertThat(recent.get(0).released()).as("aborted").isFalse();
      assertThat(recent.get(1).instances()).isEqualTo(3);
      assertThat(recent.get(1).released()).isTrue();
      assertThat(recent).allSatisfy(e -> {
        assertThat(e.callingAe()).isEqualTo("PACS");
        assertThat(e.remoteAddress()).contains("127.0.0.1");
        assertThat(e.ended()).isAfterOrEqualTo(e.started());
      });
    }
  }

  @Test
  void rejectsUnknownCallersAndWrongCalledAeTitles() throws Exception {
    try (DicomNode node = DicomNode.start(config(), e -> {})) {
      assertThatThrownBy(() -> StoreScu.open("127.0.0.1", node.port(), "STRANGER", "SEEDTRACE", CT, 5000))
          .isInstanceOf(AssociationAbortedException.class).hasMessageContaining("reason 3");
      assertThatThrownBy(() -> StoreScu.open("127.0.0.1", node.port(), "PACS", "OTHER", CT, 5000))
          .isInstanceOf(AssociationAbortedException.class).hasMessageContaining("reason 7");
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(scu.echo()).as("the node still serves allowed peers").isEqualTo(Dimse.SUCCESS);
      }
    }
  }

  @Test
  void acceptsEveryStorageClassAndCompressedSyntaxesButNoOtherService() throws Exception {
    String mr = "1.2.840.10008.5.1.4.1.1.4";
    String doseSr = "1.2.840.10008.5.1.4.1.1.88.67";
    String ecg = "1.2.840.10008.5.1.4.1.1.9.1.1";
    String brachyDelivery = "1.2.840.10008.5.1.4.34.10";
    String studyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    String storageCommitment = "1.2.840.10008.1.20.1";
    try (DicomNode node = DicomNode.start(config(), e -> {})) {
      List<StoreScu.Proposal> proposals = List.of(
          new StoreScu.Proposal(mr, List.of("1.2.840.10008.1.2.1")),
          new StoreScu.Proposal(doseSr, List.of("1.2.840.10008.1.2")),
          new StoreScu.Proposal(ecg, List.of("1.2.840.10008.1.2.1")),
          new StoreScu.Proposal(brachyDelivery, List.of("1.2.840.10008.1.2.1")),
          new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.4.80")),
          new StoreScu.Proposal(NodeConfig.ENHANCED_CT_IMAGE, List.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5")),
          new StoreScu.Proposal(studyRootFind, List.of("1.2.840.10008.1.2.1")),
          new StoreScu.Proposal(storageCommitment, List.of("1.2.840.10008.1.2.1")));
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", proposals, 5000)) {
        assertThat(scu.acceptedTransferSyntax(mr)).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(scu.acceptedTransferSyntax(doseSr)).isEqualTo("1.2.840.10008.1.2");
        assertThat(scu.acceptedTransferSyntax(ecg)).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(scu.acceptedTransferSyntax(brachyDelivery)).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(scu.acceptedTransferSyntax(NodeConfig.CT_IMAGE)).isEqualTo("1.2.840.10008.1.2.4.80");
        assertThat(scu.acceptedTransferSyntax(NodeConfig.ENHANCED_CT_IMAGE))
            .as("lossless JPEG 2000 preferred to RLE").isEqualTo("1.2.840.10008.1.2.4.90");
        assertThat(scu.acceptedTransferSyntax(studyRootFind)).as("a query service is not storage").isNull();
        assertThat(scu.acceptedTransferSyntax(storageCommitment)).isNull();
        assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
      }
    }
  }

  @Test
  void storesAnMrInstanceItDoesNotVerifyAndAnnouncesItsSeries() throws Exception {
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    var ds = TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 0, 8, 1);
    ds.putString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.4");
    ds.putString(Tag.Modality, Vr.CS, "MR");
    byte[] mr = Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    try (DicomNode node = DicomNode.start(config(), events::add)) {
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE",
          List.of(new StoreScu.Proposal("1.2.840.10008.5.1.4.1.1.4", List.of("1.2.840.10008.1.2.1"))), 5000)) {
        assertThat(scu.store(mr)).isEqualTo(Dimse.SUCCESS);
      }
      assertThat(node.spool().indexed()).singleElement()
          .satisfies(r -> assertThat(r.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.4"));
      SeriesStableEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.modality()).isEqualTo("MR");
    }
  }

  @Test
  void privateSopClassesAreAcceptedOnlyWhenConfigured() throws Exception {
    String vendor = "1.3.46.670589.11.0.0.12.1";
    List<StoreScu.Proposal> proposals = List.of(new StoreScu.Proposal(vendor, List.of("1.2.840.10008.1.2.1")));
    try (DicomNode node = DicomNode.start(config(), e -> {});
        StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", proposals, 5000)) {
      assertThat(scu.acceptedTransferSyntax(vendor)).isNull();
    }
    NodeConfig withPrivate = config().withSopClasses(Set.of(io.seedtrace.dicom.net.AssociationPolicy.ALL_STORAGE, vendor));
    try (DicomNode node = DicomNode.start(withPrivate, e -> {});
        StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", proposals, 5000)) {
      assertThat(scu.acceptedTransferSyntax(vendor)).isEqualTo("1.2.840.10008.1.2.1");
    }
  }

  @Test
  void aDataSetWhoseUidsCouldEscapeTheSpoolIsRefused() throws Exception {
    var ds = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 8, 1);
    ds.putString(Tag.StudyInstanceUID, Vr.UI, "../../etc");
    byte[] evil = Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    try (DicomNode node = DicomNode.start(config(), e -> {});
        StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
      assertThat(scu.store(evil)).isEqualTo(Dimse.CANNOT_UNDERSTAND);
      assertThat(node.spool().indexed()).isEmpty();
    }
    try (var files = Files.walk(spool.getParent(), 2)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("1.2.3.4.5.dcm"))).isEmpty();
    }
  }

  @Test
  void associationsBeyondTheLimitAreRejectedAsTransientAndServedOnceFree() throws Exception {
    NodeConfig one = config().withLimits(1, Duration.ofSeconds(60), Duration.ofSeconds(10));
    try (DicomNode node = DicomNode.start(one, e -> {})) {
      try (StoreScu first = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        assertThat(first.echo()).isEqualTo(Dimse.SUCCESS);
        assertThatThrownBy(() -> StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000))
            .isInstanceOf(AssociationAbortedException.class)
            .hasMessageContaining("result 2, source 3, reason 2");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Integer status = null;
      while (status == null && System.nanoTime() < deadline) {
        try (StoreScu again = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
          status = again.echo();
        } catch (AssociationAbortedException stillBusy) {
          Thread.onSpinWait();
        }
      }
      assertThat(status).isEqualTo(Dimse.SUCCESS);
    }
  }

  @Test
  void garbageOnTheSocketIsAbortedAndOthersAreStillServed() throws Exception {
    try (DicomNode node = DicomNode.start(config(), e -> {})) {
      try (Socket s = new Socket("127.0.0.1", node.port())) {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        out.flush();
        s.setSoTimeout(5000);
        int first = s.getInputStream().read();
        assertThat(first).as("an A-ABORT PDU, or the connection closed").isIn(0x07, -1);
      }
      try (Socket slowLoris = new Socket("127.0.0.1", node.port());
          StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        slowLoris.getOutputStream().write(new byte[] {0x01, 0x00});
        assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
      }
    }
  }

  @Test
  void aSeriesEventThatFailedIsDeliveredAfterARestart() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<byte[]> files = TestCt.series(2, 16);
    try (DicomNode node = DicomNode.start(config(), e -> {
      attempts.incrementAndGet();
      throw new IOException("EHR route down");
    })) {
      try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", CT, 5000)) {
        for (byte[] f : files) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (attempts.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(attempts.get()).isPositive();
    }
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    try (DicomNode restarted = DicomNode.start(config(), events::add)) {
      SeriesStableEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      assertThat(event.instanceCount()).isEqualTo(2);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (restarted.series().pendingSeries() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(restarted.series().pendingSeries()).isZero();
    }
    LinkedBlockingQueue<SeriesStableEvent> again = new LinkedBlockingQueue<>();
    try (DicomNode third = DicomNode.start(config(), again::add)) {
      assertThat(again.poll(1, TimeUnit.SECONDS)).as("delivered events are not repeated").isNull();
    }
  }
}
