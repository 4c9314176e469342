package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with an independent implementation, DCMTK (Debian package dcmtk; CI installs
 * it): its echoscu and storescu against our SCP, and our SCU against its storescp.
 */
class DcmtkInteropTest {

  @TempDir
  Path work;

  @BeforeAll
  static void dcmtkInstalled() {
    assumeTrue(onPath("storescu") && onPath("echoscu") && onPath("storescp"),
        "DCMTK is not installed (apt-get install dcmtk); interop tests skipped");
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private static int run(Path dir, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("tool-" + command[0] + ".log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return p.exitValue();
  }

  private NodeConfig config(Path spool) {
    return NodeConfig.defaults(spool).withPort(0).withPeers(Set.of("DCMTK"), Set.of("127.0.0.1"))
        .withQuietTime(Duration.ofMillis(500));
  }

  @Test
  void echoscuAndStorescuSendToOurScpAndEveryFileArrivesBitExact() throws Exception {
    Path out = Files.createDirectories(work.resolve("send"));
    List<byte[]> series = TestCt.series(10, 64);
    List<String> args = new ArrayList<>(List.of("storescu", "-aet", "DCMTK", "-aec", "SEEDTRACE", "127.0.0.1"));
    for (int i = 0; i < series.size(); i++) {
      Files.write(out.resolve("ct" + i + ".dcm"), series.get(i));
    }
    try (DicomNode node = DicomNode.start(config(work.resolve("spool")), e -> {})) {
      String port = Integer.toString(node.port());
      assertThat(run(work, "echoscu", "-aet", "DCMTK", "-aec", "SEEDTRACE", "127.0.0.1", port)).isZero();
      assertThat(run(work, "echoscu", "-aet", "INTRUDER", "-aec", "SEEDTRACE", "127.0.0.1", port))
          .as("an unknown calling AE is rejected").isNotZero();
      args.add(port);
      try (Stream<Path> files = Files.list(out)) {
        files.sorted().forEach(f -> args.add(f.toString()));
      }
      assertThat(run(work, args.toArray(String[]::new))).isZero();
      assertThat(node.spool().indexed()).hasSize(10);
      for (byte[] sent : series) {
        Part10.DicomFile s = Part10.read(sent);
        Path stored = node.spool().root().resolve(s.dataSet().getString(Tag.StudyInstanceUID, ""))
            .resolve(s.dataSet().getString(Tag.SeriesInstanceUID, ""))
            .resolve(s.dataSet().getString(Tag.SOPInstanceUID, "") + ".dcm");
        byte[] storedBytes = Files.readAllBytes(stored);
        Part10.DicomFile back = Part10.read(storedBytes);
        assertThat(Arrays.copyOfRange(storedBytes, back.dataSetOffset(), storedBytes.length))
            .isEqualTo(Arrays.copyOfRange(sent, s.dataSetOffset(), sent.length));
      }
    }
  }

  @Test
  void ourScuSendsToDcmtkStorescp() throws Exception {
    int port = Peers.freePort();
    Path received = Files.createDirectories(work.resolve("received"));
    ProcessBuilder pb = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", received.toString(),
        "+xe", Integer.toString(port)).redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process storescp = pb.start();
    try {
      Peers.awaitListening(port, storescp, 20);
      List<byte[]> series = TestCt.series(4, 64);
      try (StoreScu scu = StoreScu.open("127.0.0.1", port, "SEEDTRACE", "STORESCP",
          List.of(new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"))), 10_000)) {
        assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
        for (byte[] f : series) {
          assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
        }
      }
      Map<String, byte[]> bySop = new HashMap<>();
      try (Stream<Path> files = Files.list(received)) {
        for (Path f : files.toList()) {
          byte[] bytes = Files.readAllBytes(f);
          bySop.put(Part10.read(bytes).dataSet().getString(Tag.SOPInstanceUID, ""), bytes);
        }
      }
      assertThat(bySop).hasSize(4);
      for (byte[] sent : series) {
        Part10.DicomFile s = Part10.read(sent);
        byte[] got = bySop.get(s.dataSet().getString(Tag.SOPInstanceUID, ""));
        Part10.DicomFile g = Part10.read(got);
        assertThat(Arrays.copyOfRange(got, g.dataSetOffset(), got.length))
            .isEqualTo(Arrays.copyOfRange(sent, s.dataSetOffset(), sent.length));
      }
    } finally {
      storescp.destroy();
      storescp.waitFor(10, TimeUnit.SECONDS);
    }
  }

}
