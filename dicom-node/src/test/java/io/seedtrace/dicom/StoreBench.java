package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.TestCt;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receive throughput of a 200-slice 512x512 CT (about 100 MB) over 1 and 4 associations, with the
 * same sender (DCMTK storescu, TCP_NODELAY=1) against our node (durable before every response, with
 * and without its spool reserve), DCMTK storescp and Orthanc, in one run. After one uncounted
 * warm-up round of our node, each round measures all four in turn, so a drift of the machine
 * touches all alike; the ratios are taken within each round. Run with {@code ./mvnw -pl dicom-node
 * -Pbench test}; figures are printed as BENCH lines.
 */
class StoreBench {

  private static final int SLICES = 200;
  private static final int ROUNDS = 5;

  @TempDir
  Path work;

  @Test
  void receiveThroughput() throws Exception {
    Path files = Files.createDirectories(work.resolve("ct"));
    String study = TestCt.uid();
    String series = TestCt.uid();
    for (int i = 0; i < SLICES; i++) {
      Files.write(files.resolve(String.format("ct%03d.dcm", i)),
          Part10.toBytes(TestCt.slice(study, series, TestCt.uid(), i, 512, 9), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    List<Path> all;
    try (Stream<Path> s = Files.list(files)) {
      all = s.sorted().toList();
    }
    List<String> report = new ArrayList<>();
    measureOurs(all, 1, true, -1); // warm-up round for the JIT, not counted
    for (int associations : new int[] {1, 4}) {
      // rounds interleave the receivers, so a drift of the machine touches all of them alike
      List<Double> reserve = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      List<Double> storescp = new ArrayList<>();
      List<Double> orthanc = new ArrayList<>();
      List<Double> ratioStorescp = new ArrayList<>();
      List<Double> ratioOrthanc = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        reserve.add(measureOurs(all, associations, true, r));
        plain.add(measureOurs(all, associations, false, r));
        storescp.add(measureStorescp(all, associations, r));
        orthanc.add(measureOrthanc(all, associations, r));
        ratioStorescp.add(reserve.get(r) / storescp.get(r));
        ratioOrthanc.add(reserve.get(r) / orthanc.get(r));
      }
      report.add(summary("SeedTrace node (fdatasync before ack, spool reserve)", associations, reserve)
          + String.format("; peak heap used while receiving %d MB", peakHeap.get() >> 20));
      report.add(summary("SeedTrace node (fsync before ack, no reserve)", associations, plain));
      report.add(summary("DCMTK storescp", associations, storescp));
      report.add(summary("Orthanc", associations, orthanc));
      report.add(ratios("SeedTrace / storescp", associations, ratioStorescp));
      report.add(ratios("SeedTrace / Orthanc", associations, ratioOrthanc));
    }
    report.forEach(line -> System.out.println("BENCH " + line));
  }

  private final AtomicLong peakHeap = new AtomicLong();

  /**
   * Our node, a fresh spool per round. With the reserve (the default), the round starts once the
   * node has written its reserve ahead, as a running node has between studies; without it, every
   * instance goes to a new file.
   */
  private double measureOurs(List<Path> all, int associations, boolean reserve, int r) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Path spool = work.resolve("spool-" + associations + "-" + reserve + "-" + r);
    NodeConfig config = NodeConfig.defaults(spool).withPort(0).withPeers(Set.of("*"), Set.of("*"));
    if (!reserve) {
      config = config.withReserve(0, config.reservedFileBytes());
    }
    try (DicomNode node = DicomNode.start(config, e -> {})) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (node.spool().reserveReady() < config.reservedFiles() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      System.gc();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.start();
      double rate = send(all, associations, node.port(), "SEEDTRACE");
      sampler.interrupt();
      assertThat(node.spool().indexed()).hasSize(SLICES);
      return rate;
    }
  }

  private double measureStorescp(List<Path> all, int associations, int r) throws Exception {
    int port = Peers.freePort();
    Path out = Files.createDirectories(work.resolve("storescp-" + associations + "-" + r));
    Process p = start(List.of("storescp", "-aet", "STORESCP", "-od", out.toString(), "+xe", Integer.toString(port)));
    return sendToPeer(p, all, associations, port, "STORESCP");
  }

  /** Sends to a peer process once it listens, then stops it. */
  private double sendToPeer(Process peer, List<Path> all, int associations, int port, String calledAe) throws Exception {
    try {
      Peers.awaitListening(port, peer, 60);
      return send(all, associations, port, calledAe);
    } finally {
      peer.destroy();
      peer.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private double measureOrthanc(List<Path> all, int associations, int r) throws Exception {
    int dicomPort = Peers.freePort();
    int httpPort = Peers.freePort();
    Path dir = Files.createDirectories(work.resolve("orthanc-" + associations + "-" + r));
    Path config = dir.resolve("orthanc.json");
    Files.writeString(config, "{\"Name\":\"bench\",\"StorageDirectory\":\"" + dir.resolve("db") + "\","
        + "\"IndexDirectory\":\"" + dir.resolve("db") + "\",\"HttpPort\":" + httpPort + ",\"DicomPort\":" + dicomPort
        + ",\"DicomAet\":\"ORTHANC\",\"DicomCheckCalledAet\":false,\"RemoteAccessAllowed\":false,"
        + "\"AuthenticationEnabled\":false,\"DicomAlwaysAllowStore\":true,\"UnknownSopClassAccepted\":true,"
        + "\"Plugins\":[],\"StableAge\":1}");
    return sendToPeer(start(List.of("Orthanc", config.toString())), all, associations, dicomPort, "ORTHANC");
  }

  /** Sends all files with storescu processes, one association each; returns images per second. */
  private double send(List<Path> all, int associations, int port, String calledAe) throws Exception {
    List<List<String>> commands = new ArrayList<>();
    for (int a = 0; a < associations; a++) {
      List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "BENCH", "-aec", calledAe, "127.0.0.1",
          Integer.toString(port)));
      for (int i = a; i < all.size(); i += associations) {
        cmd.add(all.get(i).toString());
      }
      commands.add(cmd);
    }
    long start = System.nanoTime();
    List<Process> running = new ArrayList<>();
    for (List<String> cmd : commands) {
      running.add(start(cmd));
    }
    for (Process p : running) {
      assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("storescu exit").isZero();
    }
    return all.size() / ((System.nanoTime() - start) / 1e9);
  }

  private Process start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TCP_NODELAY", "1");
    return pb.start();
  }



  private static String ratios(String who, int associations, List<Double> perRound) {
    List<Double> sorted = new ArrayList<>(perRound);
    Collections.sort(sorted);
    return String.format("%s, %d association(s), ratio of the same round: median %.2f (min %.2f, max %.2f)",
        who, associations, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  private static String summary(String who, int associations, List<Double> rates) {
    List<Double> sorted = new ArrayList<>(rates);
    Collections.sort(sorted);
    double median = sorted.get(sorted.size() / 2);
    return String.format("%s, %d association(s), %d slices 512x512: median %.0f images/s (min %.0f, max %.0f)",
        who, associations, SLICES, median, sorted.get(0), sorted.get(sorted.size() - 1));
  }

}
