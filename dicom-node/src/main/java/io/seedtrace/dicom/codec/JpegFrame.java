package io.seedtrace.dicom.codec;

/**
 * One JPEG frame being decoded: its header (T.81 B.2.2), one sample plane per component, and the
 * scans that fill them, DCT-based (Annex F, Huffman, sequential) or lossless (Annex H).
 */
final class JpegFrame {

  /** Natural (row-major) index of the k-th coefficient in zig-zag order. */
  private static final int[] ZIGZAG = {
      0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
      21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
      60, 61, 54, 47, 55, 62, 63};
  /** IDCT basis: COS[x][u] = C(u)/2 * cos((2x+1) u pi / 16). */
  private static final double[][] COS = new double[8][8];

  static {
    for (int x = 0; x < 8; x++) {
      for (int u = 0; u < 8; u++) {
        COS[x][u] = (u == 0 ? Math.sqrt(0.5) : 1.0) / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
      }
    }
  }

  private final boolean lossless;
  private final int precision;
  private final int width;
  private final int height;
  private final int[] componentIds;
  private final int[] quantIds;
  private final int[][] planes;
  private int pointTransform;

  private JpegFrame(boolean lossless, int precision, int width, int height, int[] ids, int[] quantIds) {
    this.lossless = lossless;
    this.precision = precision;
    this.width = width;
    this.height = height;
    this.componentIds = ids;
    this.quantIds = quantIds;
    this.planes = new int[ids.length][width * height];
  }

  static JpegFrame read(JpegDecoder.Stream s, boolean lossless, FrameFormat format) throws CodecException {
    int end = s.segmentEnd();
    int precision = s.u8();
    int height = s.u16();
    int width = s.u16();
    int components = s.u8();
    if (height != format.rows() || width != format.columns() || components != format.samples()) {
      throw new CodecException("JPEG frame of " + width + " x " + height + " x " + components + " does not match the"
          + " data set's " + format.columns() + " x " + format.rows() + " x " + format.samples());
    }
    boolean precisionOk = lossless ? precision >= 2 && precision <= 16 : precision == 8 || precision == 12;
    if (!precisionOk || precision > format.bitsAllocated()) {
      throw new CodecException("JPEG precision of " + precision + " bits is not valid here (Bits Allocated "
          + format.bitsAllocated() + ")");
    }
    if (end - s.pos != 3 * components) {
      throw new CodecException("JPEG frame header length does not match its " + components + " components");
    }
    int[] ids = new int[components];
    int[] quant = new int[components];
    for (int c = 0; c < components; c++) {
      ids[c] = s.u8();
      int sampling = s.u8();
      quant[c] = s.u8() & 3;
      if (components > 1 && sampling != 0x11) {
        throw new CodecException("Subsampled colour JPEG (sampling " + Integer.toHexString(sampling) + ") is not decoded");
      }
    }
    return new JpegFrame(lossless, precision, width, height, ids, quant);
  }

  /** Reads a scan header and decodes the scan into the planes of its components. */
  void scan(JpegDecoder.Stream s) throws CodecException {
    int end = s.segmentEnd();
    int n = s.u8();
    if (n < 1 || n > componentIds.length || end - s.pos != 2 * n + 3) {
      throw new CodecException("JPEG scan header malformed");
    }
    int[] comps = new int[n];
    HuffmanTable[] dc = new HuffmanTable[n];
    HuffmanTable[] ac = new HuffmanTable[n];
    for (int i = 0; i < n; i++) {
      comps[i] = indexOf(s.u8());
      int tables = s.u8();
      dc[i] = s.dc[tables >> 4 & 3];
      ac[i] = s.ac[tables & 3];
      if (dc[i] == null || (!lossless && ac[i] == null)) {
        throw new CodecException("JPEG scan uses a Huffman table that was not defined");
      }
    }
    int ss = s.u8();
    s.u8(); // Se
    int approximation = s.u8();
    JpegBits bits = new JpegBits(s.b, end);
    if (lossless) {
      if (ss < 1 || ss > 7) {
        throw new CodecException("JPEG lossless predictor " + ss + " is not 1-7");
      }
      pointTransform = approximation & 15;
      if (pointTransform >= precision) {
        throw new CodecException("JPEG point transform " + pointTransform + " with precision " + precision);
      }
      losslessScan(bits, comps, dc, ss, s.restartInterval);
    } else {
      dctScan(bits, s, comps, dc, ac);
    }
    s.pos = bits.position();
  }

  private int indexOf(int id) throws CodecException {
    for (int c = 0; c < componentIds.length; c++) {
      if (componentIds[c] == id) {
        return c;
      }
    }
    throw new CodecException("JPEG scan names component " + id + " that the frame does not have");
  }

  private void losslessScan(JpegBits bits, int[] comps, HuffmanTable[] dc, int predictor, int restart)
      throws CodecException {
    int initial = 1 << (precision - pointTransform - 1);
    int resetRow = 0;
    int resetIndex = 0;
    int mcu = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++, mcu++) {
        int at = y * width + x;
        if (restart > 0 && mcu > 0 && mcu % restart == 0) {
          bits.restart();
          resetRow = y;
          resetIndex = at;
        }
        for (int i = 0; i < comps.length; i++) {
          int[] p = planes[comps[i]];
          int prediction;
          if (at == resetIndex) {
            prediction = initial;
          } else if (y == resetRow) {
            prediction = p[at - 1];
          } else if (x == 0) {
            prediction = p[at - width];
          } else {
            prediction = predict(predictor, p[at - 1], p[at - width], p[at - width - 1]);
          }
          p[at] = (prediction + difference(bits, dc[i])) & 0xFFFF;
        }
      }
    }
  }

  private static int predict(int predictor, int ra, int rb, int rc) {
    return switch (predictor) {
      case 1 -> ra;
      case 2 -> rb;
      case 3 -> rc;
      case 4 -> ra + rb - rc;
      case 5 -> ra + ((rb - rc) >> 1);
      case 6 -> rb + ((ra - rc) >> 1);
      default -> (ra + rb) >> 1;
    };
  }

  private static int difference(JpegBits bits, HuffmanTable table) throws CodecException {
    int category = table.decode(bits);
    if (category == 0) {
      return 0;
    }
    if (category == 16) {
      return 32768;
    }
    if (category > 16) {
      throw new CodecException("JPEG difference category " + category + " exceeds 16");
    }
    return extend(bits.read(category), category);
  }

  private static int extend(int v, int bits) {
    return v < (1 << (bits - 1)) ? v - (1 << bits) + 1 : v;
  }

  private void dctScan(JpegBits bits, JpegDecoder.Stream s, int[] comps, HuffmanTable[] dc, HuffmanTable[] ac)
      throws CodecException {
    int[][] quant = new int[comps.length][];
    for (int i = 0; i < comps.length; i++) {
      quant[i] = s.quant[quantIds[comps[i]]];
      if (quant[i] == null) {
        throw new CodecException("JPEG component uses a quantisation table that was not defined");
      }
    }
    int[] predictions = new int[comps.length];
    double[] block = new double[64];
    int blocksX = (width + 7) / 8;
    int blocksY = (height + 7) / 8;
    int mcu = 0;
    for (int by = 0; by < blocksY; by++) {
      for (int bx = 0; bx < blocksX; bx++, mcu++) {
        if (s.restartInterval > 0 && mcu > 0 && mcu % s.restartInterval == 0) {
          bits.restart();
          java.util.Arrays.fill(predictions, 0);
        }
        for (int i = 0; i < comps.length; i++) {
          java.util.Arrays.fill(block, 0);
          predictions[i] += difference(bits, dc[i]);
          block[0] = predictions[i] * (double) quant[i][0];
          coefficients(bits, ac[i], quant[i], block);
          inverseDct(block, planes[comps[i]], bx * 8, by * 8);
        }
      }
    }
  }

  private static void coefficients(JpegBits bits, HuffmanTable ac, int[] quant, double[] block) throws CodecException {
    for (int k = 1; k < 64; ) {
      int rs = ac.decode(bits);
      int run = rs >> 4;
      int size = rs & 15;
      if (size == 0) {
        if (run != 15) {
          return;
        }
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) {
        throw new CodecException("JPEG block has more than 64 coefficients");
      }
      block[ZIGZAG[k]] = extend(bits.read(size), size) * (double) quant[k];
      k++;
    }
  }

  private void inverseDct(double[] f, int[] plane, int x0, int y0) {
    double[] rows = new double[64];
    for (int v = 0; v < 8; v++) {
      for (int x = 0; x < 8; x++) {
        double sum = 0;
        for (int u = 0; u < 8; u++) {
          sum += COS[x][u] * f[v * 8 + u];
        }
        rows[v * 8 + x] = sum;
      }
    }
    int shift = 1 << (precision - 1);
    int max = (1 << precision) - 1;
    for (int y = 0; y < 8 && y0 + y < height; y++) {
      for (int x = 0; x < 8 && x0 + x < width; x++) {
        double sum = 0;
        for (int v = 0; v < 8; v++) {
          sum += COS[y][v] * rows[v * 8 + x];
        }
        long value = Math.round(sum) + shift;
        plane[(y0 + y) * width + x0 + x] = (int) Math.max(0, Math.min(max, value));
      }
    }
  }

  /** Writes the planes as native little endian, colour-by-pixel samples. */
  void write(byte[] out, int offset, FrameFormat format) {
    int samples = planes.length;
    int bytes = format.bytesPerSample();
    int shift = lossless ? pointTransform : 0;
    int at = offset;
    for (int p = 0; p < width * height; p++) {
      for (int c = 0; c < samples; c++) {
        int v = planes[c][p] << shift;
        for (int b = 0; b < bytes; b++) {
          out[at++] = (byte) (v >> (8 * b));
        }
      }
    }
  }
}
