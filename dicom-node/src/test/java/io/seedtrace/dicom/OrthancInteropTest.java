package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.TestCt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orthanc (Debian package orthanc) as the PACS: it pushes a study to our node through its REST API
 * ({@code /modalities/{id}/store}) and receives a series from our SCU.
 */
class OrthancInteropTest {

  /**
   * Orthanc's web server may close a kept-alive connection between two calls, and a POST is not
   * retried on a stale pooled connection; a fresh client per call avoids reusing one.
   */
  private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
    return HttpClient.newHttpClient().send(request, body);
  }

  @TempDir
  Path work;

  @Test
  void orthancPushesAStudyToUsAndReceivesFromOurScu() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/Orthanc")), "Orthanc is not installed; interop test skipped");
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("ORTHANC"), Set.of("127.0.0.1")).withQuietTime(Duration.ofMillis(500));
    try (DicomNode node = DicomNode.start(config, events::add)) {
      int dicomPort = Peers.freePort();
      int httpPort = Peers.freePort();
      Path db = Files.createDirectories(work.resolve("orthanc-db"));
      Path cfg = work.resolve("orthanc.json");
      Files.writeString(cfg, "{\"Name\":\"it\",\"StorageDirectory\":\"" + db + "\",\"IndexDirectory\":\"" + db + "\","
          + "\"HttpPort\":" + httpPort + ",\"DicomPort\":" + dicomPort + ",\"DicomAet\":\"ORTHANC\","
          + "\"RemoteAccessAllowed\":false,\"AuthenticationEnabled\":false,\"DicomAlwaysAllowStore\":true,"
          + "\"DicomCheckCalledAet\":false,\"Plugins\":[],"
          + "\"DicomModalities\":{\"seedtrace\":[\"SEEDTRACE\",\"127.0.0.1\"," + node.port() + "]}}");
      ProcessBuilder pb = new ProcessBuilder("/usr/sbin/Orthanc", cfg.toString()).redirectErrorStream(true)
          .redirectOutput(work.resolve("orthanc.log").toFile());
      pb.environment().put("TCP_NODELAY", "1");
      Process orthanc = pb.start();
      try {
        Peers.awaitListening(httpPort, orthanc, 60);
        Peers.awaitListening(dicomPort, orthanc, 60);
        String base = "http://127.0.0.1:" + httpPort;
        awaitRestApi(base, orthanc);
        // 1. Orthanc receives a series over REST, then pushes it to us by C-STORE.
        List<byte[]> series = TestCt.series(6, 64);
        List<String> ids = new ArrayList<>();
        for (byte[] f : series) {
          HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/instances"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(f)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          Matcher m = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
          assertThat(m.find()).isTrue();
          ids.add("\"" + m.group(1) + "\"");
        }
        HttpResponse<String> push = send(HttpRequest.newBuilder(URI.create(base + "/modalities/seedtrace/store"))
            .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", ids) + "]")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(push.statusCode()).as(push.body()).isEqualTo(200);
        SeriesStableEvent event = events.poll(20, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event.instanceCount()).isEqualTo(6);
        assertThat(node.spool().indexed()).extracting(InstanceRecord::sopInstanceUid)
            .containsExactlyInAnyOrderElementsOf(series.stream().map(OrthancInteropTest::sop).toList());

        // 2. Our SCU sends another series to Orthanc's DICOM port.
        List<byte[]> back = TestCt.series(3, 64);
        try (StoreScu scu = StoreScu.open("127.0.0.1", dicomPort, "SEEDTRACE", "ORTHANC",
            List.of(new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"))), 10_000)) {
          assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
          for (byte[] f : back) {
            assertThat(scu.store(f)).isEqualTo(Dimse.SUCCESS);
          }
        }
        HttpResponse<String> instances = send(HttpRequest.newBuilder(URI.create(base + "/instances")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(instances.body().split(",")).hasSize(9);
      } finally {
        orthanc.destroy();
        orthanc.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** Orthanc listens before its REST API answers: wait for GET /system to say 200. */
  private static void awaitRestApi(String base, Process orthanc) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(orthanc.isAlive()).as("Orthanc running").isTrue();
      try {
        if (send(HttpRequest.newBuilder(URI.create(base + "/system")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new AssertionError("Orthanc's REST API did not come up");
  }

  private static String sop(byte[] file) {
    try {
      return Part10.read(file).dataSet().getString(Tag.SOPInstanceUID, "");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }


}
