package io.seedtrace.dicom.codec;

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header with the number of segments and their offsets,
 * then one PackBits-coded segment per byte plane, most significant byte of each sample first.
 */
final class RleDecoder implements FrameDecoder {

  private static final int HEADER_BYTES = 64;

  @Override
  public void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException {
    if (encoded.length < HEADER_BYTES) {
      throw new CodecException("RLE frame of " + encoded.length + " bytes has no complete 64-byte header");
    }
    int bytesPerSample = format.bytesPerSample();
    int segments = int32(encoded, 0);
    int expected = format.samples() * bytesPerSample;
    if (segments != expected) {
      throw new CodecException("RLE header declares " + segments + " segments; " + expected
          + " expected for " + format.samples() + " sample(s) of " + format.bitsAllocated() + " bits");
    }
    int pixels = format.pixels();
    byte[] plane = new byte[pixels];
    int stride = expected;
    for (int s = 0; s < segments; s++) {
      int start = int32(encoded, 4 + 4 * s);
      int end = s + 1 < segments ? int32(encoded, 8 + 4 * s) : encoded.length;
      if (start < HEADER_BYTES || end > encoded.length || start > end) {
        throw new CodecException("RLE segment " + (s + 1) + " lies outside the frame (" + start + ".." + end + " of "
            + encoded.length + " bytes)");
      }
      unpack(encoded, start, end, plane, s + 1);
      int sample = s / bytesPerSample;
      int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments run MSB first, output is LE
      int at = offset + sample * bytesPerSample + byteInSample;
      for (int p = 0; p < pixels; p++, at += stride) {
        out[at] = plane[p];
      }
    }
  }

  /** PackBits: a header byte n, then n+1 literal bytes (n >= 0) or one byte repeated 1-n times (n < 0, not -128). */
  private static void unpack(byte[] in, int pos, int end, byte[] plane, int segment) throws CodecException {
    int filled = 0;
    while (filled < plane.length) {
      if (pos >= end) {
        throw new CodecException("RLE segment " + segment + " ends after " + filled + " of " + plane.length + " bytes");
      }
      int n = in[pos++];
      if (n >= 0) {
        int count = n + 1;
        if (pos + count > end || filled + count > plane.length) {
          throw new CodecException("RLE segment " + segment + " literal run overruns its segment or the frame");
        }
        System.arraycopy(in, pos, plane, filled, count);
        pos += count;
        filled += count;
      } else if (n != -128) {
        int count = 1 - n;
        if (pos >= end || filled + count > plane.length) {
          throw new CodecException("RLE segment " + segment + " repeat run overruns its segment or the frame");
        }
        java.util.Arrays.fill(plane, filled, filled + count, in[pos++]);
        filled += count;
      }
    }
  }

  private static int int32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
