package io.seedtrace.dicom.codec;

/**
 * Checks the image and tile size segment (SIZ, ISO/IEC 15444-1 A.5.1) of a JPEG 2000 codestream,
 * bare or inside a JP2 file, against the data set before the library decodes anything: image size,
 * component count and depth must match, tiles must be at least 16 x 16 or the whole image, and
 * component subsampling must be 1 to 4.
 */
final class Jpeg2000Header {

  private Jpeg2000Header() {}

  static void check(byte[] b, FrameFormat format) throws CodecException {
    int soc = codestreamStart(b);
    int at = soc + 4; // SOC, then SIZ marker
    if (soc < 0 || at + 38 > b.length || u16(b, soc + 2) != 0xFF51) {
      throw new CodecException("Not a JPEG 2000 codestream: no SOC followed by SIZ");
    }
    long width = u32(b, at + 4) - u32(b, at + 12);
    long height = u32(b, at + 8) - u32(b, at + 16);
    long tileWidth = u32(b, at + 20);
    long tileHeight = u32(b, at + 24);
    int components = u16(b, at + 36);
    if (width != format.columns() || height != format.rows() || components != format.samples()) {
      throw new CodecException("JPEG 2000 image of " + width + " x " + height + " x " + components
          + " does not match the data set's " + format.columns() + " x " + format.rows() + " x " + format.samples());
    }
    boolean tilesOk = (tileWidth >= 16 || tileWidth >= width) && (tileHeight >= 16 || tileHeight >= height);
    if (!tilesOk || u32(b, at + 28) > u32(b, at + 12) || u32(b, at + 32) > u32(b, at + 16)) {
      throw new CodecException("JPEG 2000 tiles of " + tileWidth + " x " + tileHeight + " are not plausible");
    }
    if (at + 38 + 3 * components > b.length) {
      throw new CodecException("JPEG 2000 SIZ segment truncated");
    }
    for (int c = 0; c < components; c++) {
      int depth = (b[at + 38 + 3 * c] & 0x7F) + 1;
      int dx = b[at + 39 + 3 * c] & 0xFF;
      int dy = b[at + 40 + 3 * c] & 0xFF;
      if (depth > format.bitsAllocated() || dx < 1 || dx > 4 || dy < 1 || dy > 4) {
        throw new CodecException("JPEG 2000 component " + (c + 1) + " of " + depth + " bits, subsampled " + dx + " x "
            + dy + ", does not fit the data set");
      }
    }
  }

  /** Offset of the SOC marker: at the start, or after the JP2 boxes up to the contiguous codestream box. */
  private static int codestreamStart(byte[] b) {
    if (b.length >= 2 && u16(b, 0) == 0xFF4F) {
      return 0;
    }
    int pos = 0;
    while (pos + 8 <= b.length) {
      long length = u32(b, pos);
      boolean codestream = b[pos + 4] == 'j' && b[pos + 5] == 'p' && b[pos + 6] == '2' && b[pos + 7] == 'c';
      if (codestream) {
        return pos + 8 + 2 <= b.length && u16(b, pos + 8) == 0xFF4F ? pos + 8 : -1;
      }
      if (length < 8) {
        return -1;
      }
      pos += (int) Math.min(length, b.length);
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
  }
}
