package io.seedtrace.dicom.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Writes a MIME multipart body (RFC 2046) part by part to a stream, each part copied from its own
 * stream (a stored file), so a WADO-RS answer of any size passes through a small buffer.
 *
 * <pre>{@code
 * String boundary = MultipartWriter.newBoundary();
 * response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
 * MultipartWriter parts = new MultipartWriter(response.getOutputStream(), boundary);
 * parts.part("application/dicom", Files.newInputStream(file));
 * parts.finish();
 * }</pre>
 */
public final class MultipartWriter {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final OutputStream out;
  private final byte[] delimiter;

  public MultipartWriter(OutputStream out, String boundary) {
    this.out = out;
    this.delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
  }

  /** A boundary of 32 random hex digits: a stored file containing it by chance is out of the question. */
  public static String newBoundary() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    StringBuilder s = new StringBuilder("seedtrace-");
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xFF));
    }
    return s.toString();
  }

  /** Writes one part with this Content-Type and the whole of {@code body}. */
  public void part(String contentType, InputStream body) throws IOException {
    out.write(delimiter);
    out.write(("\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.transferTo(out);
    out.write('\r');
    out.write('\n');
  }

  public void part(String contentType, byte[] body) throws IOException {
    part(contentType, new java.io.ByteArrayInputStream(body));
  }

  /** Writes the close delimiter and flushes. */
  public void finish() throws IOException {
    out.write(delimiter);
    out.write("--\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
