package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.rt.PlannedPositions;
import io.seedtrace.dicom.rt.StructureSetPointReader;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.server.support.CtSeries;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detected seeds reach an independent PACS (DCMTK storescp) as a readable RT Structure Set. */
class PacsResultSenderTest {

  @Test
  void detectedSeedsArriveAtStorescpAsPointRois(@TempDir Path dir) throws Exception {
    assumeTrue(VerificationIT.onPath("storescp"), "DCMTK storescp is not installed");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path received = Files.createDirectories(dir.resolve("received"));
    ProcessBuilder pb = new ProcessBuilder("storescp", "-aet", "PACS", "-od", received.toString(), "+xe",
        Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process storescp = pb.start();
    try {
      long deadline = System.nanoTime() + 20_000_000_000L;
      boolean listening = false;
      while (!listening && System.nanoTime() < deadline) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          listening = true;
        } catch (java.io.IOException notYet) {
          Thread.sleep(50);
        }
      }
      assertThat(listening).as("storescp listens").isTrue();
      ImageVolume volume = ImageVolume.ct(2, 2, 2, 1, 1, 1, new double[] {0, 0, 0}, new double[] {1, 0, 0},
          new double[] {0, 1, 0}, new double[] {0, 0, 1}, new short[8], CtSeries.uid(), CtSeries.uid(), CtSeries.uid());
      List<double[]> seeds = List.of(new double[] {10.5, -20.25, 30}, new double[] {12, -18, 35.5},
          new double[] {0, 0, 0});
      new PacsResultSender("SEEDTRACE", "PACS", "127.0.0.1", port).send(volume, "MRN-1", "ACC-1", seeds);

      Path file;
      try (Stream<Path> files = Files.list(received)) {
        file = files.findFirst().orElseThrow();
      }
      DataSet ds = Part10.read(Files.readAllBytes(file)).dataSet();
      PlannedPositions points = StructureSetPointReader.read(ds);
      assertThat(points.frameOfReferenceUid()).isEqualTo(volume.frameOfReferenceUid());
      assertThat(points.positions()).hasSize(3);
      assertThat(points.positions().get(0)).containsExactly(10.5, -20.25, 30.0);
    } finally {
      storescp.destroy();
      storescp.waitFor();
    }
  }
}
