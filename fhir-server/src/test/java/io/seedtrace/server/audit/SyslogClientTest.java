package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import io.seedtrace.dicom.net.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding to a syslog collector, against a collector in the test: a TLS server socket that
 * demands a client certificate, with certificates made by the JDK's keytool. Messages arrive as
 * RFC 5425 frames holding RFC 5424 messages with the AuditEvent JSON; a node without a trusted
 * certificate gets nothing through; a collector that dropped the connection is reconnected to.
 */
class SyslogClientTest {

  static final String PASSWORD = "changeit";
  @TempDir
  static Path dir;
  static TlsSettings collectorTls;
  static TlsSettings nodeTls;
  static TlsSettings strangerTls;

  ServerSocket collector;
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    for (String name : List.of("collector", "node", "stranger")) {
      keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
          "-dname", "CN=" + (name.equals("collector") ? "localhost" : name), "-ext", "san=dns:localhost,ip:127.0.0.1",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", name + ".p12", "-storepass", PASSWORD);
      keytool("-exportcert", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD, "-file", name + ".crt");
    }
    for (String name : List.of("collector", "node")) {
      keytool("-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-storetype", "PKCS12",
          "-keystore", "trust.p12", "-storepass", PASSWORD);
    }
    collectorTls = tls("collector");
    nodeTls = tls("node");
    strangerTls = tls("stranger");
  }

  static TlsSettings tls(String name) {
    return new TlsSettings(dir.resolve(name + ".p12"), PASSWORD.toCharArray(), Optional.of(dir.resolve("trust.p12")),
        PASSWORD.toCharArray());
  }

  void startCollector() throws IOException {
    collector = collectorTls.bind(InetAddress.getLoopbackAddress(), 0);
    Thread acceptor = new Thread(() -> {
      while (!collector.isClosed()) {
        try {
          SSLSocket socket = (SSLSocket) collector.accept();
          accepted.add(socket);
          new Thread(() -> readFrames(socket)).start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Reads RFC 5425 frames: the length in ASCII digits, a space, then that many octets. */
  void readFrames(Socket socket) {
    try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
      while (true) {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        for (int b = in.read(); b != ' '; b = in.read()) {
          if (b < 0) {
            return;
          }
          digits.write(b);
        }
        byte[] message = new byte[Integer.parseInt(digits.toString(StandardCharsets.US_ASCII))];
        in.readFully(message);
        received.add(new String(message, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  @AfterEach
  void stopCollector() throws IOException {
    if (collector != null) {
      collector.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
  }

  SyslogClient client(TlsSettings tls) {
    return new SyslogClient("localhost", collector.getLocalPort(), tls, "node-a", "seedtrace", Duration.ofSeconds(5));
  }

  @Test
  void eachAuditEventArrivesAsAnRfc5424MessageOverMutualTls() throws Exception {
    startCollector();
    try (SyslogClient client = client(nodeTls)) {
      client.send(List.of(event("first"), event("second")));
      String first = received.poll(10, TimeUnit.SECONDS);
      String second = received.poll(10, TimeUnit.SECONDS);
      assertThat(first).startsWith("<85>1 2026-12-07T08:00:00.000Z node-a seedtrace ")
          .contains(" AuditEvent - \uFEFF{\"resourceType\":\"AuditEvent\"");
      AuditEvent parsed = FhirContext.forR4Cached().newJsonParser().parseResource(AuditEvent.class,
          first.substring(first.indexOf('\uFEFF') + 1));
      assertThat(parsed.getOutcomeDesc()).isEqualTo("first");
      assertThat(second).contains("\"outcomeDesc\":\"second\"");
    }
  }

  @Test
  void aNodeWithoutATrustedCertificateGetsNothingThrough() throws Exception {
    startCollector();
    try (SyslogClient client = client(strangerTls)) {
      try {
        client.send(List.of(event("from a stranger")));
      } catch (UncheckedIOException refused) {
        // the handshake may fail on either side; either way nothing arrives
      }
      assertThat(received.poll(1, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void aDroppedConnectionIsReopenedAndAnAbsentCollectorIsAnError() throws Exception {
    startCollector();
    try (SyslogClient client = client(nodeTls)) {
      client.send(List.of(event("before")));
      assertThat(received.poll(10, TimeUnit.SECONDS)).contains("before");
      for (Socket s : accepted) {
        s.close();
      }
      // a write right after the collector hung up may still vanish into the dead connection's
      // buffers; the next ones notice, reconnect and arrive
      String arrived = null;
      for (int i = 0; i < 20 && arrived == null; i++) {
        client.send(List.of(event("after " + i)));
        arrived = received.poll(500, TimeUnit.MILLISECONDS);
      }
      assertThat(arrived).contains("after ");
      assertThat(accepted).as("a second connection").hasSizeGreaterThanOrEqualTo(2);
      collector.close();
      for (Socket s : accepted) {
        s.close();
      }
      // the first writes after the hang-up may still be taken by the dead connection's buffers
      // until the peer's reset arrives; once it has, the write and the reconnection both fail
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            try {
              client.send(List.of(event("nobody listens")));
              return false;
            } catch (UncheckedIOException collectorAbsent) {
              return true;
            }
          });
    }
  }

  static AuditEvent event(String what) {
    AuditEvent event = new AuditEvent();
    event.setRecorded(Date.from(Instant.parse("2026-12-07T08:00:00Z")));
    event.setOutcomeDesc(what);
    event.getType().setCode("rest");
    return event;
  }

  static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
  }
}
