package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.dicom.spool.Spool;
import io.seedtrace.dicom.testing.NodeProcess;
import io.seedtrace.dicom.testing.TestCt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver process is killed with SIGKILL in the middle of a study. After a restart, every
 * instance that got a success response is in the spool and the index, and the series event that
 * had not been delivered yet is delivered, saying the series is incomplete: its transfer was cut off.
 */
class CrashSafetyTest {

  @TempDir
  Path work;

  private Process startNode(Path portFile) throws IOException {
    Files.deleteIfExists(portFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(),
        work.resolve("spool").toString(), portFile.toString(), work.resolve("events.tsv").toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("node.log").toFile()).start();
  }

  private static int awaitPort(Path portFile, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("node exited with " + p.exitValue());
      }
      if (Files.exists(portFile)) {
        return Integer.parseInt(Files.readString(portFile).trim());
      }
      Thread.onSpinWait();
    }
    throw new IOException("node did not start");
  }

  @Test
  void everyAcknowledgedInstanceSurvivesKillNineAndItsEventStillComes() throws Exception {
    Path portFile = work.resolve("port");
    List<byte[]> series = TestCt.series(40, 128);
    List<String> acknowledged = new ArrayList<>();
    Process node = startNode(portFile);
    int port = awaitPort(portFile, node);
    try (StoreScu scu = StoreScu.open("127.0.0.1", port, "PACS", "SEEDTRACE",
        List.of(new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"))), 5000)) {
      for (int i = 0; i < series.size(); i++) {
        if (i == 25) {
          node.destroyForcibly(); // SIGKILL mid-study
          node.waitFor(10, TimeUnit.SECONDS);
        }
        try {
          if (scu.store(series.get(i)) == Dimse.SUCCESS) {
            acknowledged.add(Part10.read(series.get(i)).dataSet().getString(Tag.SOPInstanceUID, ""));
          }
        } catch (IOException connectionLost) {
          break;
        }
      }
    } catch (IOException closedByKill) {
      // the release cannot complete: the peer is dead
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(25);

    Process restarted = startNode(portFile);
    String delivered;
    try {
      awaitPort(portFile, restarted);
      Path events = work.resolve("events.tsv");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && (!Files.exists(events) || Files.readString(events).isBlank())) {
        Thread.onSpinWait();
      }
      delivered = Files.readString(events);
    } finally {
      restarted.destroyForcibly();
      restarted.waitFor(10, TimeUnit.SECONDS);
    }
    // the spool as the restarted node left it (killed again)
    List<String> indexed;
    try (Spool spool = new Spool(work.resolve("spool"), r -> {})) {
      indexed = spool.indexed().stream().map(InstanceRecord::sopInstanceUid).toList();
    }
    assertThat(indexed).containsAll(acknowledged);
    for (String sop : acknowledged) {
      try (var files = Files.walk(work.resolve("spool"))) {
        assertThat(files.anyMatch(f -> f.getFileName().toString().equals(sop + ".dcm"))).isTrue();
      }
    }
    String seriesUid = Part10.read(series.get(0)).dataSet().getString(Tag.SeriesInstanceUID, "");
    assertThat(delivered).contains(seriesUid + "\t" + indexed.size() + "\tincomplete");
  }
}
