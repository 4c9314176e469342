package io.seedtrace.dicom.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a MIME multipart body (RFC 2046, as STOW-RS sends it: {@code multipart/related}) part by
 * part from a stream, holding at most one buffer of {@value #BUFFER} bytes: a part's body is itself
 * a stream that ends where the next boundary delimiter begins, so a part of any size passes
 * through without being held in memory.
 *
 * <pre>{@code
 * MultipartReader parts = new MultipartReader(request.getInputStream(), boundary, 8192);
 * for (Optional<MultipartReader.Part> p = parts.next(); p.isPresent(); p = parts.next()) {
 *   p.get().body().transferTo(sink);
 * }
 * }</pre>
 *
 * <p>{@link #next()} skips what is left of the previous part. A body that ends before the close
 * delimiter, a part header block larger than the limit or a preamble longer than the buffer throws
 * {@link MalformedMultipartException}.
 */
public final class MultipartReader {

  /** Bytes buffered between the socket and the part streams. */
  static final int BUFFER = 64 * 1024;
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final InputStream in;
  private final byte[] delimiter;
  private final int maxHeaderBytes;
  private final byte[] buf = new byte[BUFFER];
  private int start;
  private int end;
  private boolean eof;
  private PartBody current;
  private boolean closed;
  private boolean begun;

  /** A part: its header fields (names in lower case) and its body, valid until the next {@link #next()}. */
  public record Part(Map<String, String> headers, InputStream body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * @param boundary the {@code boundary} parameter of the body's media type (1 to 70 characters)
   * @param maxHeaderBytes the largest header block of one part
   * @throws IllegalArgumentException for a boundary RFC 2046 does not allow
   */
  public MultipartReader(InputStream in, String boundary, int maxHeaderBytes) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70 || !boundary.chars().allMatch(c -> c > 31 && c < 127)) {
      throw new IllegalArgumentException("a multipart boundary has 1 to 70 printable ASCII characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.maxHeaderBytes = maxHeaderBytes;
    // the first delimiter may open the body without the CRLF that precedes the others
    buf[0] = CR;
    buf[1] = LF;
    end = 2;
  }

  /**
   * The next part, or empty after the close delimiter.
   *
   * @throws MalformedMultipartException if the body is not a well-formed multipart body
   * @throws IOException if the stream fails
   */
  public Optional<Part> next() throws IOException {
    if (closed) {
      return Optional.empty();
    }
    if (!begun) {
      begun = true;
      skipPreamble();
    } else {
      current.skipRest(Long.MAX_VALUE);
    }
    if (afterDelimiter()) {
      closed = true;
      return Optional.empty();
    }
    Map<String, String> headers = readHeaders();
    current = new PartBody();
    return Optional.of(new Part(headers, current));
  }

  private void skipPreamble() throws IOException {
    if (new PartBody().skipRest(BUFFER) > BUFFER) {
      throw new MalformedMultipartException("more than " + BUFFER + " bytes before the first boundary");
    }
  }

  /** After a delimiter: true for the close delimiter, else consumes padding and the CRLF. */
  private boolean afterDelimiter() throws IOException {
    if (!fill(2)) {
      throw new MalformedMultipartException("the body ends right after a boundary");
    }
    if (buf[start] == '-' && buf[start + 1] == '-') {
      start += 2;
      return true; // the epilogue is ignored
    }
    int padding = 0;
    while (fill(1) && (buf[start] == ' ' || buf[start] == '\t') && padding++ < 64) {
      start++;
    }
    if (!fill(2) || buf[start] != CR || buf[start + 1] != LF) {
      throw new MalformedMultipartException("a boundary is not followed by a line break");
    }
    start += 2;
    return false;
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int used = 0;
    while (true) {
      StringBuilder line = new StringBuilder();
      while (true) {
        if (!fill(2)) {
          throw new MalformedMultipartException("the body ends inside the header of a part");
        }
        if (buf[start] == CR && buf[start + 1] == LF) {
          start += 2;
          used += 2;
          break;
        }
        line.append((char) (buf[start++] & 0xFF));
        if (++used > maxHeaderBytes) {
          throw new MalformedMultipartException("the header of a part is longer than " + maxHeaderBytes + " bytes");
        }
      }
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(":");
      if (colon <= 0) {
        throw new MalformedMultipartException("a part header line has no field name: " + abbreviate(line));
      }
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
  }

  private static String abbreviate(CharSequence s) {
    return s.length() > 60 ? s.subSequence(0, 60) + "..." : s.toString();
  }

  /** Makes at least {@code n} bytes available from {@code start}; false if the stream ends first. */
  private boolean fill(int n) throws IOException {
    if (end - start >= n) {
      return true;
    }
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end - start < n && !eof) {
      int r = in.read(buf, end, buf.length - end);
      if (r < 0) {
        eof = true;
      } else {
        end += r;
      }
    }
    return end - start >= n;
  }

  /** Where the delimiter starts in the buffer between {@code start} and {@code last} (inclusive), or -1. */
  private int findDelimiter(int last) {
    outer:
    for (int i = start; i <= last; i++) {
      if (buf[i] != CR) {
        continue;
      }
      for (int k = 1; k < delimiter.length; k++) {
        if (buf[i + k] != delimiter[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The body of one part: ends (returns -1) where the delimiter begins, and consumes the delimiter. */
  private final class PartBody extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        fill(delimiter.length);
        // at most len bytes, and only those where no delimiter can begin unseen: each byte is
        // looked at about once, however small the caller's reads
        int n = Math.min(len, end - start - delimiter.length + 1);
        if (n <= 0) {
          if (eof) {
            throw new MalformedMultipartException("the body ends inside a part, before its closing boundary");
          }
          fillMore();
          continue;
        }
        int at = findDelimiter(start + n - 1);
        if (at == start) {
          start += delimiter.length;
          done = true;
          return -1;
        }
        int give = at >= 0 ? at - start : n;
        System.arraycopy(buf, start, b, off, give);
        start += give;
        return give;
      }
    }

    private void fillMore() throws IOException {
      if (!fill(end - start + 1) && !eof) {
        throw new IllegalStateException("buffer did not grow");
      }
    }

    /** Reads to the end of the part, or stops once more than {@code limit} bytes were skipped; returns how many. */
    long skipRest(long limit) throws IOException {
      byte[] scratch = new byte[8192];
      long skipped = 0;
      for (int n = read(scratch, 0, scratch.length); n >= 0 && skipped <= limit; n = read(scratch, 0, scratch.length)) {
        skipped += n;
      }
      return skipped;
    }
  }
}
