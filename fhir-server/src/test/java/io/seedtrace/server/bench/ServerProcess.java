package io.seedtrace.server.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A server in a JVM of its own, started on the test class path (the same classes the jar holds, and
 * the same for both servers of {@link FhirOverheadBench}): its start-up time to the first 200 on
 * {@code /fhir/metadata} and its resident memory right then, read from {@code /proc/<pid>/status}.
 */
final class ServerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final long startNanos;
  private final Path log;
  final int port;
  private double startSeconds = -1;
  private long rssMb = -1;

  private ServerProcess(String name, Process process, long startNanos, Path log, int port) {
    this.name = name;
    this.process = process;
    this.startNanos = startNanos;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code mainClass} with these JVM options and program arguments; output goes to a log file.
   * {@code testClasses} false: the class path without the test classes (what the jar holds).
   */
  static ServerProcess start(String name, List<String> jvmOptions, String mainClass, int port, List<String> args,
      boolean testClasses) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath(testClasses), mainClass, "--server.port=" + port));
    command.addAll(args);
    try {
      Path log = Files.createTempFile("bench-" + name, ".log");
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new ServerProcess(name, process, start, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The full test class path (failsafe's own JVM may see only its manifest-only booter jar). */
  private static String classPath(boolean testClasses) {
    String path = System.getProperty("surefire.test.class.path");
    path = path == null || path.isBlank() ? System.getProperty("java.class.path") : path;
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(entry -> testClasses || !Path.of(entry).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  String base() {
    return "http://localhost:" + port;
  }

  String name() {
    return name;
  }

  /** True once {@code /fhir/metadata} has answered 200; records the start-up time and RSS then. */
  boolean started(HttpClient client) {
    if (startSeconds >= 0) {
      return true;
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + log);
    }
    try {
      HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(base() + "/fhir/metadata"))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        return false;
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    startSeconds = (System.nanoTime() - startNanos) / 1e9;
    rssMb = rssMb();
    return true;
  }

  /** Waits for both servers, started together, polling each in turn so neither's time is late. */
  static void awaitBoth(ServerProcess a, ServerProcess b, Duration atMost) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Awaitility.await(a.name + " and " + b.name + " answering /fhir/metadata").atMost(atMost)
        .pollInterval(Duration.ofMillis(200)).until(() -> a.started(client) & b.started(client));
  }

  double startSeconds() {
    return startSeconds;
  }

  long startRssMb() {
    return rssMb;
  }

  /** The process's resident set now, in MB. */
  long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1; // not Linux: RSS not measured
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
