package io.seedtrace.dicom.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads PDUs from a stream through one reused buffer. The PDVs of a P-DATA-TF can be streamed:
 * each value is handed to a {@link PdvReceiver} in pieces straight from the buffer as it arrives,
 * so a data set goes from the socket to its destination without being held whole in memory or
 * copied again. Lengths are checked as {@link PduCodec#read} checks them, before anything is read.
 */
final class PduReader {

  /** Receives the PDVs of a P-DATA-TF as they are read. */
  interface PdvReceiver {

    /** A PDV starts; {@code length} value bytes follow in {@link #value} calls. */
    void begin(int contextId, boolean command, boolean last, long length) throws IOException;

    /** The next bytes of the value; valid only during the call. */
    void value(byte[] bytes, int offset, int length) throws IOException;

    /** The PDV's value is complete. */
    void end() throws IOException;
  }

  /** A PDU's type and body length. */
  record Header(int type, long length) {}

  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int lim;

  /** @param bufferSize at least the 6 bytes of a PDU or PDV item header */
  PduReader(InputStream in, int bufferSize) {
    if (bufferSize < 6) {
      throw new IllegalArgumentException("buffer of " + bufferSize + " bytes cannot hold a PDU header");
    }
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  /**
   * Reads a PDU header and checks its type and length.
   *
   * @throws EOFException if the stream ends before or inside the header
   */
  Header readHeader(long maxLength) throws IOException, PduFormatException {
    if (lim == pos && !fill(true)) {
      throw new EOFException("connection closed");
    }
    need(6);
    int type = buf[pos] & 0xFF;
    long length = ((buf[pos + 2] & 0xFFL) << 24) | ((buf[pos + 3] & 0xFFL) << 16) | ((buf[pos + 4] & 0xFFL) << 8)
        | (buf[pos + 5] & 0xFFL);
    pos += 6;
    if (type < Pdu.A_ASSOCIATE_RQ || type > Pdu.A_ABORT) {
      throw new PduFormatException(PduCodec.UNRECOGNIZED_PDU, "Unrecognized PDU type 0x" + Integer.toHexString(type));
    }
    if (length > maxLength) {
      throw new PduFormatException(PduCodec.INVALID_PARAMETER,
          "PDU of " + length + " bytes exceeds the limit of " + maxLength);
    }
    return new Header(type, length);
  }

  /** Reads and decodes the body of a PDU whose header was just read. */
  Pdu readBody(Header header) throws IOException, PduFormatException {
    byte[] body = new byte[(int) header.length()];
    int off = 0;
    while (off < body.length) {
      if (pos == lim) {
        fill(false);
      }
      int n = Math.min(lim - pos, body.length - off);
      System.arraycopy(buf, pos, body, off, n);
      pos += n;
      off += n;
    }
    return PduCodec.decode(header.type(), ByteBuffer.wrap(body));
  }

  /** Skips the body of a PDU whose header was just read. */
  void skipBody(Header header) throws IOException {
    long left = header.length();
    while (left > 0) {
      if (pos == lim) {
        fill(false);
      }
      int n = (int) Math.min(lim - pos, left);
      pos += n;
      left -= n;
    }
  }

  /** Streams the PDVs of a P-DATA-TF whose header was just read to {@code receiver}. */
  void readPData(Header header, PdvReceiver receiver) throws IOException, PduFormatException {
    long left = header.length();
    if (left == 0) {
      throw new PduFormatException(PduCodec.INVALID_PARAMETER, "P-DATA-TF without a PDV");
    }
    while (left > 0) {
      if (left < 6) {
        throw new PduFormatException(PduCodec.INVALID_PARAMETER, "PDU item needs 6 bytes, " + left + " left");
      }
      need(6);
      long len = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFFL) << 16) | ((buf[pos + 2] & 0xFFL) << 8)
          | (buf[pos + 3] & 0xFFL);
      int contextId = buf[pos + 4] & 0xFF;
      int control = buf[pos + 5] & 0xFF;
      pos += 6;
      left -= 6;
      if (len < 2 || len - 2 > left) {
        throw new PduFormatException(PduCodec.INVALID_PARAMETER, "PDV length " + len + " does not fit the PDU");
      }
      long value = len - 2;
      receiver.begin(contextId, (control & 0x01) != 0, (control & 0x02) != 0, value);
      while (value > 0) {
        if (pos == lim) {
          fill(false);
        }
        int n = (int) Math.min(lim - pos, value);
        receiver.value(buf, pos, n);
        pos += n;
        value -= n;
        left -= n;
      }
      receiver.end();
    }
  }

  /** Makes at least {@code n} (at most the buffer size) unread bytes available. */
  private void need(int n) throws IOException {
    if (lim - pos >= n) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, lim - pos);
    lim -= pos;
    pos = 0;
    while (lim < n) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        throw new EOFException("connection closed inside a PDU");
      }
      lim += r;
    }
  }

  /** Refills the empty buffer with what the stream has; false at the end of the stream if allowed. */
  private boolean fill(boolean endAllowed) throws IOException {
    pos = 0;
    lim = 0;
    int r;
    do {
      r = in.read(buf, 0, buf.length);
    } while (r == 0);
    if (r < 0) {
      if (endAllowed) {
        return false;
      }
      throw new EOFException("connection closed inside a PDU");
    }
    lim = r;
    return true;
  }
}
