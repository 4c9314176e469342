package io.seedtrace.dicom.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Orthanc as a PACS (Debian package {@code orthanc}): JSON configuration written at test time, our
 * node as its one DICOM modality (so it may query and be moved to), studies loaded over its REST
 * API. {@code TCP_NODELAY} is set for it: without it, its small DIMSE responses wait on loopback.
 */
public final class OrthancPacs implements QrPeer {

  public static final Path BINARY = Path.of("/usr/sbin/Orthanc");

  private final String aeTitle;
  private final int dicomPort;
  private final String base;
  private final Process process;

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts it as {@code aeTitle}, knowing {@code ourAe} at 127.0.0.1:{@code ourPort}. */
  public static OrthancPacs start(Path dir, String aeTitle, String ourAe, int ourPort) throws IOException {
    return new OrthancPacs(dir, aeTitle, ourAe, ourPort, "");
  }

  /** As {@link #start(Path, String, String, int)} with more configuration ({@code "Key":value} pairs, comma-separated). */
  public static OrthancPacs start(Path dir, String aeTitle, String ourAe, int ourPort, String moreConfig)
      throws IOException {
    return new OrthancPacs(dir, aeTitle, ourAe, ourPort, moreConfig.isEmpty() ? "" : "," + moreConfig);
  }

  private OrthancPacs(Path dir, String aeTitle, String ourAe, int ourPort, String moreConfig) throws IOException {
    this.aeTitle = aeTitle;
    this.dicomPort = Peers.freePort();
    int httpPort = Peers.freePort();
    Path db = Files.createDirectories(dir.resolve("orthanc-db"));
    Path cfg = dir.resolve("orthanc.json");
    Files.writeString(cfg, "{\"Name\":\"qr\",\"StorageDirectory\":\"" + db + "\",\"IndexDirectory\":\"" + db + "\","
        + "\"HttpPort\":" + httpPort + ",\"DicomPort\":" + dicomPort + ",\"DicomAet\":\"" + aeTitle + "\","
        + "\"RemoteAccessAllowed\":false,\"AuthenticationEnabled\":false,\"DicomAlwaysAllowStore\":true,"
        + "\"DicomCheckCalledAet\":false,\"Plugins\":[],\"DicomScuTimeout\":10,"
        + "\"DicomModalities\":{\"seedtrace\":[\"" + ourAe + "\",\"127.0.0.1\"," + ourPort + "]}" + moreConfig + "}");
    ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), cfg.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("orthanc.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    process = pb.start();
    base = "http://127.0.0.1:" + httpPort;
    try {
      Peers.awaitListening(httpPort, process, 60);
      Peers.awaitListening(dicomPort, process, 60);
      awaitRestApi();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String aeTitle() {
    return aeTitle;
  }

  @Override
  public int port() {
    return dicomPort;
  }

  @Override
  public void load(List<byte[]> files) throws IOException, InterruptedException {
    for (byte[] f : files) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/instances"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(f)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("Orthanc refused an instance: " + r.statusCode() + " " + r.body());
      }
    }
  }

  /** Orthanc listens before its REST API answers: wait for GET /system to say 200. */
  private void awaitRestApi() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Orthanc exited with " + process.exitValue());
      }
      try {
        if (HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/system")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        Thread.onSpinWait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("Orthanc's REST API did not come up");
  }

  /** Kills it at once (SIGKILL): its associations break off as when a PACS crashes. */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
