package io.seedtrace.dicom.codec;

/**
 * JPEG (ITU-T T.81) for the DICOM JPEG transfer syntaxes: Baseline (process 1, 8 bits), Extended
 * (process 2/4, 8 or 12 bits, Huffman coded) and Lossless (process 14, any predictor, including
 * SV1), 2 to 16 bits. Grey images, and colour images whose components are not subsampled, which
 * covers what CT scanners and DICOM encoders produce for CT. Progressive, arithmetic-coded and
 * hierarchical JPEG, and subsampled colour, are refused by name.
 *
 * <p>Bounds: the frame header must match the data set's Rows, Columns and Samples per Pixel and
 * not exceed its Bits Allocated; the work is one pass over the frame's samples.
 */
final class JpegDecoder implements FrameDecoder {

  private static final int SOF0 = 0xC0;
  private static final int SOF1 = 0xC1;
  private static final int SOF3 = 0xC3;
  private static final int DHT = 0xC4;
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int DQT = 0xDB;
  private static final int DRI = 0xDD;

  @Override
  public void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException {
    Stream s = new Stream(encoded);
    if (s.marker() != SOI) {
      throw new CodecException("JPEG frame does not start with SOI");
    }
    JpegFrame frame = null;
    int scans = 0;
    while (true) {
      int marker = s.marker();
      switch (marker) {
        case SOF0, SOF1, SOF3 -> frame = JpegFrame.read(s, marker == SOF3, format);
        case DHT -> s.huffmanTables();
        case DQT -> s.quantTables();
        case DRI -> s.restartInterval();
        case SOS -> {
          if (frame == null) {
            throw new CodecException("JPEG scan before the frame header");
          }
          frame.scan(s);
          scans++;
        }
        case EOI -> {
          if (frame == null || scans == 0) {
            throw new CodecException("JPEG frame without image data");
          }
          frame.write(out, offset, format);
          return;
        }
        default -> {
          if (marker >= 0xC0 && marker <= 0xCF) {
            throw new CodecException("JPEG process SOF" + (marker - 0xC0)
                + " (progressive, arithmetic or hierarchical) is not decoded");
          }
          s.skipSegment();
        }
      }
    }
  }

  /** The marker segments of one JPEG stream and the tables they define. */
  static final class Stream {
    final byte[] b;
    int pos;
    final int[][] quant = new int[4][];
    final HuffmanTable[] dc = new HuffmanTable[4];
    final HuffmanTable[] ac = new HuffmanTable[4];
    int restartInterval;

    Stream(byte[] b) {
      this.b = b;
    }

    int marker() throws CodecException {
      while (pos < b.length && (b[pos] & 0xFF) != 0xFF) {
        pos++; // bytes between segments are not allowed, but some encoders leave padding
      }
      while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= b.length) {
        throw new CodecException("JPEG stream ends without EOI");
      }
      return b[pos++] & 0xFF;
    }

    int u8() throws CodecException {
      if (pos >= b.length) {
        throw new CodecException("JPEG marker segment truncated");
      }
      return b[pos++] & 0xFF;
    }

    int u16() throws CodecException {
      return u8() << 8 | u8();
    }

    /** The end of the segment whose length field is next; checked against the stream. */
    int segmentEnd() throws CodecException {
      int start = pos;
      int length = u16();
      if (length < 2 || start + length > b.length) {
        throw new CodecException("JPEG marker segment length " + length + " at byte " + start + " exceeds the stream");
      }
      return start + length;
    }

    void skipSegment() throws CodecException {
      pos = segmentEnd();
    }

    void restartInterval() throws CodecException {
      int end = segmentEnd();
      restartInterval = u16();
      pos = end;
    }

    void quantTables() throws CodecException {
      int end = segmentEnd();
      while (pos < end) {
        int pq = u8();
        if ((pq & 15) > 3) {
          throw new CodecException("JPEG quantisation table id " + (pq & 15));
        }
        int[] q = new int[64];
        for (int k = 0; k < 64; k++) {
          q[k] = (pq >> 4) == 0 ? u8() : u16();
        }
        quant[pq & 15] = q;
      }
      pos = end;
    }

    void huffmanTables() throws CodecException {
      int end = segmentEnd();
      while (pos < end) {
        int tc = u8();
        int[] counts = new int[17];
        int total = 0;
        for (int len = 1; len <= 16; len++) {
          counts[len] = u8();
          total += counts[len];
        }
        if (total > 256 || (tc & 15) > 3 || (tc >> 4) > 1) {
          throw new CodecException("JPEG Huffman table " + Integer.toHexString(tc) + " malformed");
        }
        int[] symbols = new int[total];
        for (int i = 0; i < total; i++) {
          symbols[i] = u8();
        }
        (tc >> 4 == 0 ? dc : ac)[tc & 15] = new HuffmanTable(counts, symbols);
      }
      pos = end;
    }
  }
}
