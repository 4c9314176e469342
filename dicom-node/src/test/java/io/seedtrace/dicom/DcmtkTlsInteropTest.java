package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.net.TlsSettings;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DICOM TLS against an independent implementation: DCMTK's storescu and echoscu with their default
 * BCP 195 non-downgrading profile reach our node over TLS, trusting our certificate; a peer that
 * speaks plain TCP to the TLS port gets nowhere, and the node keeps serving. Certificates are made
 * by openssl at test time.
 */
class DcmtkTlsInteropTest {

  @TempDir
  Path work;

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private int run(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("tool-" + command[0] + "-" + System.nanoTime() + ".log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return p.exitValue();
  }

  @Test
  void dcmtkReachesOurNodeOverTlsAndPlainTcpIsRefused() throws Exception {
    assumeTrue(onPath("storescu") && onPath("echoscu") && onPath("openssl"), "DCMTK or openssl missing");
    assertThat(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-keyout", "node.key", "-out", "node.crt")).isZero();
    assertThat(run("openssl", "pkcs12", "-export", "-in", "node.crt", "-inkey", "node.key", "-out", "node.p12",
        "-passout", "pass:changeit", "-name", "seedtrace")).isZero();
    TlsSettings tls = new TlsSettings(work.resolve("node.p12"), "changeit".toCharArray(), Optional.empty(),
        new char[0]);
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("DCMTK"), Set.of("127.0.0.1")).withQuietTime(Duration.ofMillis(500));
    List<byte[]> series = TestCt.series(3, 32);
    Path out = Files.createDirectories(work.resolve("send"));
    List<String> files = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      Path f = out.resolve("ct" + i + ".dcm");
      Files.write(f, series.get(i));
      files.add(f.toString());
    }
    try (DicomNode node = DicomNode.start(config, Optional.of(tls), e -> {})) {
      String port = Integer.toString(node.port());
      assertThat(run("echoscu", "+tla", "+cf", "node.crt", "-aet", "DCMTK", "-aec", "SEEDTRACE", "localhost", port))
          .as("C-ECHO over TLS").isZero();
      assertThat(run("echoscu", "-aet", "DCMTK", "-aec", "SEEDTRACE", "127.0.0.1", port))
          .as("plain TCP to the TLS port").isNotZero();
      List<String> store = new ArrayList<>(List.of("storescu", "+tla", "+cf", "node.crt", "-aet", "DCMTK", "-aec",
          "SEEDTRACE", "localhost", port));
      store.addAll(files);
      assertThat(run(store.toArray(String[]::new))).as("C-STORE over TLS").isZero();
      assertThat(node.spool().indexed()).hasSize(3);
    }
  }
}
