package io.seedtrace.dicom.codec;

/**
 * Decodes the samples of one single-component JPEG-LS scan (ITU-T T.87 Annex A): context
 * modelling of the local gradients, median edge prediction with bias correction and limited-length
 * Golomb codes in regular mode; run lengths and run-interruption samples in run mode.
 */
final class JpegLsScan {

  private static final int[] J = {
      0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  private static final int RUN_CONTEXT = 365;

  /** Coding parameters (T.87 A.2 and C.2.4.1.1). */
  record Parameters(int maxval, int near, int t1, int t2, int t3, int reset, int range, int qbpp, int limit) {

    /** @param custom MAXVAL, T1, T2, T3, RESET from an LSE segment (0 = default), or null */
    static Parameters of(int precision, int near, int[] custom) throws CodecException {
      int maxval = custom != null && custom[0] != 0 ? custom[0] : (1 << precision) - 1;
      if (maxval >= (1 << precision) || near > Math.min(255, maxval / 2)) {
        throw new CodecException("JPEG-LS MAXVAL " + maxval + " or NEAR " + near + " out of range");
      }
      int[] t = defaultThresholds(maxval, near);
      for (int i = 0; custom != null && i < 3; i++) {
        t[i] = custom[i + 1] != 0 ? custom[i + 1] : t[i];
      }
      int reset = custom != null && custom[4] != 0 ? custom[4] : 64;
      int range = (maxval + 2 * near) / (2 * near + 1) + 1;
      int qbpp = ceilLog2(range);
      int bpp = Math.max(2, ceilLog2(maxval + 1));
      int limit = 2 * (bpp + Math.max(8, bpp));
      if (!(near + 1 <= t[0] && t[0] <= t[1] && t[1] <= t[2] && t[2] <= maxval) || reset < 3) {
        throw new CodecException("JPEG-LS thresholds " + t[0] + ", " + t[1] + ", " + t[2] + " or RESET " + reset
            + " out of range");
      }
      return new Parameters(maxval, near, t[0], t[1], t[2], reset, range, qbpp, limit);
    }

    private static int[] defaultThresholds(int maxval, int near) {
      if (maxval >= 128) {
        int factor = (Math.min(maxval, 4095) + 128) / 256;
        int t1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxval);
        int t2 = clamp(factor * (7 - 3) + 3 + 5 * near, t1, maxval);
        return new int[] {t1, t2, clamp(factor * (21 - 4) + 4 + 7 * near, t2, maxval)};
      }
      int factor = 256 / (maxval + 1);
      int t1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, maxval);
      int t2 = clamp(Math.max(3, 7 / factor + 5 * near), t1, maxval);
      return new int[] {t1, t2, clamp(Math.max(4, 21 / factor + 7 * near), t2, maxval)};
    }

    private static int clamp(int i, int j, int maxval) {
      return i > maxval || i < j ? j : i;
    }

    private static int ceilLog2(int x) {
      return 32 - Integer.numberOfLeadingZeros(x - 1);
    }
  }

  private final Parameters p;
  private final int width;
  private final int height;
  private final JpegLsBits bits;
  private final int[] a = new int[367];
  private final int[] b = new int[367];
  private final int[] c = new int[367];
  private final int[] n = new int[367];
  private final int[] nn = new int[367];
  private int runIndex;

  JpegLsScan(Parameters p, int width, int height, JpegLsBits bits) {
    this.p = p;
    this.width = width;
    this.height = height;
    this.bits = bits;
    java.util.Arrays.fill(a, Math.max(2, (p.range() + 32) / 64));
    java.util.Arrays.fill(n, 1);
  }

  int endPosition() {
    return bits.endPosition();
  }

  /** All samples, row by row. */
  int[] decode() throws CodecException {
    int[] out = new int[width * height];
    int[] prev = new int[width + 2];
    int[] cur = new int[width + 2];
    for (int y = 0; y < height; y++) {
      cur[0] = prev[1];
      prev[width + 1] = prev[width];
      int x = 1;
      while (x <= width) {
        int ra = cur[x - 1];
        int rb = prev[x];
        int rc = prev[x - 1];
        int rd = prev[x + 1];
        if (Math.abs(rd - rb) <= p.near() && Math.abs(rb - rc) <= p.near() && Math.abs(rc - ra) <= p.near()) {
          x = run(cur, prev, x);
        } else {
          cur[x] = regular(ra, rb, rc, rd);
          x++;
        }
      }
      System.arraycopy(cur, 1, out, y * width, width);
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return out;
  }

  private int regular(int ra, int rb, int rc, int rd) throws CodecException {
    int q1 = quantize(rd - rb);
    int q2 = quantize(rb - rc);
    int q3 = quantize(rc - ra);
    int sign = 1;
    if (q1 < 0 || (q1 == 0 && q2 < 0) || (q1 == 0 && q2 == 0 && q3 < 0)) {
      sign = -1;
      q1 = -q1;
      q2 = -q2;
      q3 = -q3;
    }
    int q = 81 * q1 + 9 * q2 + q3;
    int px = rc >= Math.max(ra, rb) ? Math.min(ra, rb) : rc <= Math.min(ra, rb) ? Math.max(ra, rb) : ra + rb - rc;
    px = Math.max(0, Math.min(p.maxval(), px + sign * c[q]));
    int k = 0;
    while ((n[q] << k) < a[q] && k < 24) {
      k++;
    }
    int m = golomb(k, p.limit());
    int err;
    if (p.near() == 0 && k == 0 && 2 * b[q] <= -n[q]) {
      err = (m & 1) == 1 ? (m - 1) >> 1 : -(m >> 1) - 1;
    } else {
      err = (m & 1) == 0 ? m >> 1 : -((m + 1) >> 1);
    }
    updateRegular(q, err);
    return reconstruct(px + sign * err * (2 * p.near() + 1));
  }

  private void updateRegular(int q, int err) {
    b[q] += err * (2 * p.near() + 1);
    a[q] += Math.abs(err);
    if (n[q] == p.reset()) {
      a[q] >>= 1;
      b[q] >>= 1;
      n[q] >>= 1;
    }
    n[q]++;
    if (b[q] <= -n[q]) {
      b[q] += n[q];
      if (c[q] > -128) {
        c[q]--;
      }
      if (b[q] <= -n[q]) {
        b[q] = -n[q] + 1;
      }
    } else if (b[q] > 0) {
      b[q] -= n[q];
      if (c[q] < 127) {
        c[q]++;
      }
      if (b[q] > 0) {
        b[q] = 0;
      }
    }
  }

  /** A run of samples equal to Ra (within NEAR), then the sample that interrupts it unless the line ended. */
  private int run(int[] cur, int[] prev, int x) throws CodecException {
    int ra = cur[x - 1];
    int remaining = width - x + 1;
    int count = 0;
    boolean lineEnded = false;
    while (bits.bit() == 1) {
      int rm = 1 << J[runIndex];
      int step = Math.min(rm, remaining - count);
      count += step;
      if (step == rm && runIndex < 31) {
        runIndex++;
      }
      if (count == remaining) {
        lineEnded = true;
        break;
      }
    }
    if (!lineEnded) {
      count += bits.read(J[runIndex]);
      if (count >= remaining) {
        throw new CodecException("JPEG-LS run of " + count + " samples overruns the line");
      }
    }
    java.util.Arrays.fill(cur, x, x + count, ra);
    if (lineEnded) {
      return width + 1;
    }
    int at = x + count;
    cur[at] = interruption(ra, prev[at]);
    if (runIndex > 0) {
      runIndex--;
    }
    return at + 1;
  }

  private int interruption(int ra, int rb) throws CodecException {
    int riType = Math.abs(ra - rb) <= p.near() ? 1 : 0;
    int px = riType == 1 ? ra : rb;
    int q = RUN_CONTEXT + riType;
    int temp = riType == 0 ? a[q] : a[q] + (n[q] >> 1);
    int k = 0;
    while ((n[q] << k) < temp && k < 24) {
      k++;
    }
    int m = golomb(k, p.limit() - J[runIndex] - 1);
    int t = m + riType;
    int map = t & 1;
    int abs = (t + map) >> 1;
    boolean special = k == 0 && 2 * nn[q] < n[q];
    int err = (map == 1) != special ? -abs : abs;
    if (err < 0) {
      nn[q]++;
    }
    a[q] += (m + 1 - riType) >> 1;
    if (n[q] == p.reset()) {
      a[q] >>= 1;
      n[q] >>= 1;
      nn[q] >>= 1;
    }
    n[q]++;
    if (riType == 0 && ra > rb) {
      err = -err;
    }
    return reconstruct(px + err * (2 * p.near() + 1));
  }

  private int reconstruct(int rx) {
    int step = p.range() * (2 * p.near() + 1);
    if (rx < -p.near()) {
      rx += step;
    } else if (rx > p.maxval() + p.near()) {
      rx -= step;
    }
    return Math.max(0, Math.min(p.maxval(), rx));
  }

  private int golomb(int k, int limit) throws CodecException {
    int escape = limit - p.qbpp() - 1;
    int zeros = bits.zeros(escape);
    if (zeros < escape) {
      return (zeros << k) | bits.read(k);
    }
    return bits.read(p.qbpp()) + 1;
  }

  private int quantize(int d) {
    if (d <= -p.t3()) {
      return -4;
    } else if (d <= -p.t2()) {
      return -3;
    } else if (d <= -p.t1()) {
      return -2;
    } else if (d < -p.near()) {
      return -1;
    } else if (d <= p.near()) {
      return 0;
    } else if (d < p.t1()) {
      return 1;
    } else if (d < p.t2()) {
      return 2;
    } else if (d < p.t3()) {
      return 3;
    }
    return 4;
  }
}
