package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.net.TlsSettings;
import io.seedtrace.dicom.testing.TestCt;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our C-STORE SCU over DICOM TLS to an independent implementation: DCMTK's storescp with a
 * certificate made by openssl at test time. A PACS whose certificate we do not trust is refused
 * before any DICOM byte is sent.
 */
class DcmtkTlsScuInteropTest {

  @TempDir
  Path work;

  @Test
  void ourScuStoresToStorescpOverTlsAndRefusesAnUntrustedPeer() throws Exception {
    assumeTrue(onPath("storescp") && onPath("openssl") && onPath("keytool"), "DCMTK, openssl or keytool missing");
    certificate("pacs");
    certificate("node");
    assertThat(run("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore", "trust.p12",
        "-storepass", "changeit", "-alias", "pacs", "-file", "pacs.crt")).isZero();
    assertThat(run("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore", "other.p12",
        "-storepass", "changeit", "-alias", "node", "-file", "node.crt")).isZero();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path received = Files.createDirectories(work.resolve("received"));
    ProcessBuilder pb = new ProcessBuilder("storescp", "+tls", "pacs.key", "pacs.crt", "+cf", "node.crt", "-aet",
        "PACS", "-od", received.toString(), Integer.toString(port)).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("storescp.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process storescp = pb.start();
    try {
      TlsSettings trusted = new TlsSettings(work.resolve("node.p12"), "changeit".toCharArray(),
          Optional.of(work.resolve("trust.p12")), "changeit".toCharArray());
      byte[] slice = TestCt.series(1, 32).get(0);
      StoreScu.Proposal ct = new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"));
      try (StoreScu scu = openWhenListening(port, ct, Optional.of(trusted))) {
        assertThat(scu.store(slice)).isEqualTo(Dimse.SUCCESS);
      }
      try (Stream<Path> files = Files.list(received)) {
        assertThat(files.count()).as("instances received by storescp").isEqualTo(1);
      }
      TlsSettings distrustful = new TlsSettings(work.resolve("node.p12"), "changeit".toCharArray(),
          Optional.of(work.resolve("other.p12")), "changeit".toCharArray());
      assertThatThrownBy(() -> StoreScu.open("localhost", port, "SEEDTRACE", "PACS", List.of(ct), 10_000,
          Optional.of(distrustful))).isInstanceOf(IOException.class).hasMessageContaining("TLS handshake");
    } finally {
      storescp.destroy();
      storescp.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private StoreScu openWhenListening(int port, StoreScu.Proposal ct, Optional<TlsSettings> tls) throws Exception {
    IOException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return StoreScu.open("localhost", port, "SEEDTRACE", "PACS", List.of(ct), 10_000, tls);
      } catch (java.net.ConnectException notYet) {
        last = notYet;
        TimeUnit.MILLISECONDS.sleep(100); // storescp is still starting; nothing else to wait on
      }
    }
    throw last;
  }

  private void certificate(String name) throws Exception {
    assertThat(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", name + ".key", "-out", name + ".crt"))
        .isZero();
    assertThat(run("openssl", "pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out",
        name + ".p12", "-passout", "pass:changeit", "-name", name)).isZero();
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private int run(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("tool-" + command[0] + "-" + System.nanoTime() + ".log").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
    return p.exitValue();
  }
}
