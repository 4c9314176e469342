package io.seedtrace.dicom.codec;

/**
 * Reads the entropy-coded segment of a JPEG scan (ITU-T T.81 F.2.2.5) most significant bit first:
 * a stuffed 0x00 after 0xFF is dropped, and a marker ends the data, after which zero bits are
 * supplied for the decoder's look-ahead. A scan that needs more than a few such bytes is
 * truncated and refused, so a short or hostile stream cannot be read past its end.
 */
final class JpegBits {

  private static final int MAX_FILL_BYTES = 8;

  private final byte[] data;
  private int pos;
  private long acc;
  private int count;
  private boolean atMarker;
  private int fill;

  JpegBits(byte[] data, int pos) {
    this.data = data;
    this.pos = pos;
  }

  int position() {
    return pos;
  }

  int peek(int bits) throws CodecException {
    while (count < bits) {
      acc = (acc << 8) | nextByte();
      count += 8;
    }
    return (int) (acc >>> (count - bits)) & ((1 << bits) - 1);
  }

  void skip(int bits) {
    count -= bits;
  }

  int read(int bits) throws CodecException {
    if (bits == 0) {
      return 0;
    }
    int v = peek(bits);
    count -= bits;
    return v;
  }

  /** At a restart interval's end: drops the padding bits and expects the RSTn marker. */
  void restart() throws CodecException {
    acc = 0;
    count = 0;
    atMarker = false;
    fill = 0;
    while (pos + 1 < data.length && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) == 0xFF) {
      pos++;
    }
    if (pos + 1 >= data.length || (data[pos] & 0xFF) != 0xFF || (data[pos + 1] & 0xF8) != 0xD0) {
      throw new CodecException("JPEG restart marker expected at byte " + pos);
    }
    pos += 2;
  }

  private int nextByte() throws CodecException {
    if (!atMarker && pos < data.length) {
      int b = data[pos] & 0xFF;
      if (b != 0xFF) {
        pos++;
        return b;
      }
      if (pos + 1 < data.length && data[pos + 1] == 0) {
        pos += 2;
        return 0xFF;
      }
      atMarker = true;
    }
    if (++fill > MAX_FILL_BYTES) {
      throw new CodecException("JPEG scan data ends before the frame is complete");
    }
    return 0;
  }
}
