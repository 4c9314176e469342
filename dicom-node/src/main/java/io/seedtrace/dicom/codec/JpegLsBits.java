package io.seedtrace.dicom.codec;

/**
 * Reads a JPEG-LS scan's bits (ITU-T T.87 A.1): after a 0xFF byte the next byte carries only 7
 * bits (its top bit is a stuffed 0); a 0xFF followed by a byte with its top bit set is a marker and
 * ends the data. Past the end a few zero bytes are supplied, then the scan is refused as truncated.
 */
final class JpegLsBits {

  private static final int MAX_FILL_BYTES = 8;

  private final byte[] data;
  private int pos;
  private long acc;
  private int count;
  private boolean afterFf;
  private boolean atMarker;
  private int fill;

  JpegLsBits(byte[] data, int pos) {
    this.data = data;
    this.pos = pos;
  }

  int read(int bits) throws CodecException {
    if (bits == 0) {
      return 0;
    }
    while (count < bits) {
      load();
    }
    count -= bits;
    return (int) (acc >>> count) & (int) ((1L << bits) - 1);
  }

  /**
   * Counts the 0 bits before the next 1 and consumes them and the 1 (the unary part of a Golomb
   * code), a byte at a time.
   *
   * @throws CodecException if more than {@code max} zeros come
   */
  int zeros(int max) throws CodecException {
    int zeros = 0;
    while (true) {
      if (count == 0) {
        load();
      }
      long window = acc & ((1L << count) - 1);
      if (window == 0) {
        zeros += count;
        count = 0;
        if (zeros > max) {
          throw new CodecException("JPEG-LS code longer than its limit: corrupt data");
        }
        continue;
      }
      int highest = 64 - Long.numberOfLeadingZeros(window);
      zeros += count - highest;
      count = highest - 1;
      if (zeros > max) {
        throw new CodecException("JPEG-LS code longer than its limit: corrupt data");
      }
      return zeros;
    }
  }

  int bit() throws CodecException {
    return read(1);
  }

  /** Where the marker that follows the scan starts (or the end of the data). */
  int endPosition() {
    int p = pos;
    while (p + 1 < data.length && !((data[p] & 0xFF) == 0xFF && (data[p + 1] & 0x80) != 0)) {
      p++;
    }
    return p;
  }

  private void load() throws CodecException {
    if (!atMarker && pos < data.length) {
      int b = data[pos] & 0xFF;
      if (afterFf && (b & 0x80) != 0) {
        atMarker = true;
        pos--; // the marker starts at the 0xFF already read
      } else {
        pos++;
        if (afterFf) {
          acc = (acc << 7) | b;
          count += 7;
        } else {
          acc = (acc << 8) | b;
          count += 8;
        }
        afterFf = b == 0xFF;
        return;
      }
    }
    if (++fill > MAX_FILL_BYTES) {
      throw new CodecException("JPEG-LS scan data ends before the frame is complete");
    }
    acc <<= 8;
    count += 8;
  }
}
