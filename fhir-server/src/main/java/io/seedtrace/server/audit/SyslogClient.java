package io.seedtrace.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.seedtrace.dicom.net.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Sends AuditEvents to a syslog collector over TLS, one RFC 5424 message each, framed by octet
 * counting (RFC 5425): {@code <len> <85>1 <recorded> <host> <app> <pid> AuditEvent - <BOM><json>}.
 * Priority 85 is facility 10 (security/authorization) and severity 5 (notice), as IHE ATNA [ITI-20]
 * asks; the message is the FHIR R4 AuditEvent as JSON (not the DICOM audit message XML of older
 * ATNA collectors). TLS is the BCP 195 profile of {@link TlsSettings}, with this node's certificate
 * for mutual authentication. One connection is kept open; a write that fails is tried once more on
 * a new connection, then the failure is thrown (the collector may then hold a message twice).
 */
public final class SyslogClient implements AutoCloseable {

  private static final String PRIORITY = "<85>";
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);

  private final String host;
  private final int port;
  private final TlsSettings tls;
  private final String hostname;
  private final String appName;
  private final int timeoutMillis;
  private final IParser json = FhirContext.forR4Cached().newJsonParser();
  private Socket socket;

  public SyslogClient(String host, int port, TlsSettings tls, String hostname, String appName, Duration timeout) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.hostname = token(hostname);
    this.appName = token(appName);
    this.timeoutMillis = (int) timeout.toMillis();
  }

  /** Sends the events, in order; throws {@link UncheckedIOException} when the collector cannot be reached. */
  public synchronized void send(List<AuditEvent> events) {
    byte[] frames = frames(events);
    try {
      write(frames);
    } catch (IOException first) {
      close();
      try {
        write(frames);
      } catch (IOException second) {
        close();
        throw new UncheckedIOException("syslog collector " + host + ":" + port + " unreachable", second);
      }
    }
  }

  /** One syslog message (without its frame length), as sent. */
  byte[] message(AuditEvent event) {
    String header = PRIORITY + "1 " + TIMESTAMP.format(event.getRecorded().toInstant()) + " " + hostname + " "
        + appName + " " + ProcessHandle.current().pid() + " AuditEvent - ";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(BOM);
    out.writeBytes(json.encodeResourceToString(event).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private byte[] frames(List<AuditEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (AuditEvent event : events) {
      byte[] message = message(event);
      out.writeBytes((message.length + " ").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(message);
    }
    return out.toByteArray();
  }

  private void write(byte[] frames) throws IOException {
    if (socket == null) {
      Socket plain = new Socket();
      try {
        plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        socket = tls.connect(plain, host, port);
      } catch (IOException e) {
        plain.close();
        throw e;
      }
    }
    OutputStream out = socket.getOutputStream();
    out.write(frames);
    out.flush();
  }

  @Override
  public synchronized void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already broken
      }
      socket = null;
    }
  }

  /** RFC 5424 header fields are printable US-ASCII without spaces, or "-" when empty. */
  private static String token(String s) {
    String cleaned = s == null ? "" : s.replaceAll("[^\\x21-\\x7E]", "_");
    return cleaned.isEmpty() ? "-" : cleaned.substring(0, Math.min(cleaned.length(), 48));
  }
}
