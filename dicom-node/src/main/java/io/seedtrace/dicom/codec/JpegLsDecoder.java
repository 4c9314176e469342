package io.seedtrace.dicom.codec;

/**
 * JPEG-LS (ITU-T T.87), lossless and near-lossless, for single-component frames of 2 to 16 bits
 * (grey images: CT, MR). Colour JPEG-LS (several components, line or sample interleaved) and
 * point transforms or mapping tables are refused by name.
 *
 * <p>Bounds: the frame header must match the data set's Rows, Columns and Samples per Pixel and
 * not exceed Bits Allocated; each sample consumes at least one bit of the stream or is part of a
 * run that ends at the line's end, so the work is linear in the frame size.
 */
final class JpegLsDecoder implements FrameDecoder {

  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOF55 = 0xF7;
  private static final int LSE = 0xF8;
  private static final int SOS = 0xDA;

  @Override
  public void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException {
    JpegDecoder.Stream s = new JpegDecoder.Stream(encoded);
    if (s.marker() != SOI) {
      throw new CodecException("JPEG-LS frame does not start with SOI");
    }
    int precision = 0;
    int[] custom = null;
    int[] samples = null;
    while (true) {
      int marker = s.marker();
      if (marker == SOF55) {
        precision = frameHeader(s, format);
      } else if (marker == LSE) {
        custom = presetParameters(s);
      } else if (marker == SOS) {
        if (precision == 0) {
          throw new CodecException("JPEG-LS scan before the frame header");
        }
        samples = scan(s, format, precision, custom);
      } else if (marker == EOI) {
        break;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xCC) {
        throw new CodecException("Not a JPEG-LS stream: frame marker " + Integer.toHexString(marker));
      } else {
        s.skipSegment();
      }
    }
    if (samples == null) {
      throw new CodecException("JPEG-LS frame without image data");
    }
    int bytes = format.bytesPerSample();
    int at = offset;
    for (int v : samples) {
      for (int b = 0; b < bytes; b++) {
        out[at++] = (byte) (v >> (8 * b));
      }
    }
  }

  private static int frameHeader(JpegDecoder.Stream s, FrameFormat format) throws CodecException {
    int end = s.segmentEnd();
    int precision = s.u8();
    int height = s.u16();
    int width = s.u16();
    int components = s.u8();
    if (height != format.rows() || width != format.columns() || components != format.samples()) {
      throw new CodecException("JPEG-LS frame of " + width + " x " + height + " x " + components
          + " does not match the data set's " + format.columns() + " x " + format.rows() + " x " + format.samples());
    }
    if (components != 1) {
      throw new CodecException("Colour JPEG-LS (" + components + " components) is not decoded");
    }
    if (precision < 2 || precision > 16 || precision > format.bitsAllocated()) {
      throw new CodecException("JPEG-LS precision of " + precision + " bits is not valid here (Bits Allocated "
          + format.bitsAllocated() + ")");
    }
    s.pos = end;
    return precision;
  }

  /** LSE of id 1: MAXVAL, T1, T2, T3, RESET (zero means default). */
  private static int[] presetParameters(JpegDecoder.Stream s) throws CodecException {
    int end = s.segmentEnd();
    int id = s.u8();
    if (id != 1) {
      throw new CodecException("JPEG-LS mapping tables (LSE id " + id + ") are not decoded");
    }
    int[] p = {s.u16(), s.u16(), s.u16(), s.u16(), s.u16()};
    s.pos = end;
    return p;
  }

  private static int[] scan(JpegDecoder.Stream s, FrameFormat format, int precision, int[] custom)
      throws CodecException {
    int end = s.segmentEnd();
    int n = s.u8();
    if (n != 1) {
      throw new CodecException("JPEG-LS scan of " + n + " components is not decoded");
    }
    s.u8(); // component id
    if (s.u8() != 0) {
      throw new CodecException("JPEG-LS mapping tables are not decoded");
    }
    int near = s.u8();
    s.u8(); // ILV: irrelevant for one component
    if ((s.u8() & 15) != 0) {
      throw new CodecException("JPEG-LS point transform is not decoded");
    }
    s.pos = end;
    JpegLsScan scan = new JpegLsScan(JpegLsScan.Parameters.of(precision, near, custom), format.columns(),
        format.rows(), new JpegLsBits(s.b, end));
    int[] samples = scan.decode();
    s.pos = scan.endPosition();
    return samples;
  }
}
