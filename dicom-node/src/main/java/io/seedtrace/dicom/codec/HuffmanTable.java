package io.seedtrace.dicom.codec;

/**
 * A JPEG Huffman table (ITU-T T.81 Annex C): code lengths 1-16 with their counts, and the symbol
 * of each code in order. Codes of up to 9 bits are decoded by one table look-up, longer ones by
 * the per-length MAXCODE/VALPTR procedure of F.2.2.3.
 */
final class HuffmanTable {

  private static final int FAST_BITS = 9;

  private final int[] maxCode = new int[18];
  private final int[] valPtr = new int[17];
  private final int[] minCode = new int[17];
  private final int[] symbols;
  private final short[] fast = new short[1 << FAST_BITS];

  /**
   * @param counts counts[l] codes of length l (l = 1..16)
   * @throws CodecException if the counts do not describe a prefix code or exceed 256 symbols
   */
  HuffmanTable(int[] counts, int[] symbols) throws CodecException {
    this.symbols = symbols;
    java.util.Arrays.fill(fast, (short) -1);
    int code = 0;
    int k = 0;
    for (int len = 1; len <= 16; len++) {
      valPtr[len] = k;
      minCode[len] = code;
      code += counts[len];
      k += counts[len];
      if (code > (1 << len)) {
        throw new CodecException("JPEG Huffman table with more codes of length " + len + " than fit");
      }
      maxCode[len] = counts[len] > 0 ? code - 1 : -1;
      if (len <= FAST_BITS) {
        for (int c = minCode[len]; c < code; c++) {
          int symbol = symbols[valPtr[len] + c - minCode[len]];
          int shift = FAST_BITS - len;
          for (int fill = 0; fill < (1 << shift); fill++) {
            fast[(c << shift) | fill] = (short) (len << 8 | symbol);
          }
        }
      }
      code <<= 1;
    }
    maxCode[17] = Integer.MAX_VALUE;
  }

  int decode(JpegBits bits) throws CodecException {
    int entry = fast[bits.peek(FAST_BITS)];
    if (entry >= 0) {
      bits.skip(entry >> 8);
      return entry & 0xFF;
    }
    for (int len = FAST_BITS + 1; len <= 16; len++) {
      int code = bits.peek(len);
      if (code <= maxCode[len]) {
        bits.skip(len);
        return symbols[valPtr[len] + code - minCode[len]];
      }
    }
    throw new CodecException("JPEG data holds a code that its Huffman table does not define");
  }
}
