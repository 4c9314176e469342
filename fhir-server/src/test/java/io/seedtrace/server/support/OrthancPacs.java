package io.seedtrace.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Orthanc as the hospital's PACS for a test (Debian package {@code orthanc}): a JSON configuration
 * written at test time on free ports, our node made known to it as a DICOM modality over its REST
 * API once the node's port is known (so it may query it and move to it), {@code TCP_NODELAY} (without it its small DIMSE answers wait on loopback);
 * studies are put into it over its REST API. (The DICOM node's own tests have the same peer; test
 * classes are not shared between modules.)
 */
public final class OrthancPacs implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/sbin/Orthanc");

  public final String aeTitle;
  public final int dicomPort;
  private final String base;
  private Process process;
  private final Path config;
  private final Path log;
  private String modality;

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Configures it (not started) as {@code aeTitle}. */
  public OrthancPacs(Path dir, String aeTitle) throws IOException {
    this.aeTitle = aeTitle;
    this.dicomPort = freePort();
    int httpPort = freePort();
    Path db = Files.createDirectories(dir.resolve("orthanc-db"));
    config = dir.resolve("orthanc.json");
    log = dir.resolve("orthanc.log");
    Files.writeString(config, "{\"Name\":\"pacs\",\"StorageDirectory\":\"" + db + "\",\"IndexDirectory\":\"" + db
        + "\",\"HttpPort\":" + httpPort + ",\"DicomPort\":" + dicomPort + ",\"DicomAet\":\"" + aeTitle + "\","
        + "\"RemoteAccessAllowed\":false,\"AuthenticationEnabled\":false,\"DicomAlwaysAllowStore\":true,"
        + "\"DicomCheckCalledAet\":false,\"Plugins\":[],\"DicomScuTimeout\":10}");
    base = "http://127.0.0.1:" + httpPort;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts it and waits until its DICOM port and REST API answer. */
  public OrthancPacs start() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), config.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("TCP_NODELAY", "1");
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Orthanc exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket probe = new Socket("127.0.0.1", dicomPort)) {
        if (HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/system")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          if (modality != null) {
            putModality();
          }
          return this;
        }
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("Orthanc did not come up within 60 s");
  }

  /**
   * Makes our node known as modality {@code seedtrace} (AE title, 127.0.0.1, port): it may then
   * query and be a move destination. Kept over a restart.
   */
  public void knows(String ourAe, int ourPort) throws IOException, InterruptedException {
    modality = "{\"AET\":\"" + ourAe + "\",\"Host\":\"127.0.0.1\",\"Port\":" + ourPort + "}";
    putModality();
  }

  private void putModality() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
        + "/modalities/seedtrace")).PUT(HttpRequest.BodyPublishers.ofString(modality)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("Orthanc did not take our node as a modality: " + r.statusCode() + " " + r.body());
    }
  }

  /** Puts Part 10 files into the archive. */
  public void load(List<byte[]> files) throws IOException, InterruptedException {
    for (byte[] f : files) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/instances"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(f)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("Orthanc refused an instance: " + r.statusCode() + " " + r.body());
      }
    }
  }

  /** Whether its process runs (started and not stopped). */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops it (it can be started again on the same ports and storage). */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
