package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The background around an object: the distinct tissue levels among the voxels around it (lung,
 * fat, soft tissue, bone): sharp modes of their histogram (at least 3% of the voxels within two
 * noise deviations, more than in the bands beside it, so a gradual edge is no level), at least
 * 100 HU or 5 noise deviations apart; and for every voxel of the box the level it lies on. A voxel within 3 noise deviations of a level
 * lies on it if it is connected, through voxels on that level, to the background outside the zones
 * (so the values a seed's profile passes through on its way up do not count); any other voxel takes
 * the level of the nearest voxel placed, through the box. A seed in lung next to soft tissue is thus
 * measured against lung, and the tissue beside it against tissue.
 */
final class BackgroundLevels {

  /** Set in a label when the voxel matched no level and took that of the nearest voxel placed. */
  static final int BY_PROXIMITY = 0x40;
  static final int LEVEL = 0x0F;

  private BackgroundLevels() {}

  /** Levels (HU, ascending) of the background samples. */
  static double[] of(short[] samples, double noise) {
    if (samples.length == 0) {
      return new double[] {0};
    }
    int[] s = new int[samples.length];
    for (int q = 0; q < s.length; q++) {
      s[q] = samples[q];
    }
    Arrays.sort(s); // ints: a short[] of this size would be counting-sorted over 65536 buckets
    double bin = Math.max(5, noise / 2);
    int lo = s[0];
    int bins = (int) ((s[s.length - 1] - lo) / bin) + 1;
    double width = 2 * noise;
    double separation = Math.max(100, 5 * noise);
    int minimum = Math.max(20, s.length * 3 / 100);
    List<double[]> peaks = new ArrayList<>(); // centre, inner count
    for (int b = 0; b < bins; b++) {
      double centre = lo + (b + 0.5) * bin;
      int inner = count(s, centre - width, centre + width);
      if (inner < minimum) {
        continue;
      }
      // a plateau of tissue is a sharp peak; the values of a gradual edge are spread flat
      int band = count(s, centre - 3 * width, centre - width) + count(s, centre + width, centre + 3 * width);
      if (inner < band) {
        continue;
      }
      if (!peaks.isEmpty() && centre - peaks.get(peaks.size() - 1)[0] < separation) {
        if (inner > peaks.get(peaks.size() - 1)[1]) {
          peaks.set(peaks.size() - 1, new double[] {centre, inner});
        }
        continue;
      }
      peaks.add(new double[] {centre, inner});
    }
    if (peaks.isEmpty()) {
      return new double[] {s[s.length / 2]};
    }
    double[] levels = new double[peaks.size()];
    for (int p = 0; p < levels.length; p++) {
      double level = peaks.get(p)[0];
      for (int iter = 0; iter < 4; iter++) { // re-centre the window on its own mean
        int from = lowerBound(s, level - width);
        int to = lowerBound(s, level + width);
        if (to <= from) {
          break;
        }
        double sum = 0;
        for (int q = from; q < to; q++) {
          sum += s[q];
        }
        level = sum / (to - from);
      }
      levels[p] = level;
    }
    return levels;
  }

  private static int count(int[] sorted, double from, double to) {
    return lowerBound(sorted, to) - lowerBound(sorted, from);
  }

  private static int lowerBound(int[] s, double value) {
    int a = 0;
    int b = s.length;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (s[m] < value) {
        a = m + 1;
      } else {
        b = m;
      }
    }
    return a;
  }

  /**
   * Level index per voxel of a box (values given box-local, x fastest), with {@link #BY_PROXIMITY}
   * set where the voxel matched no level.
   *
   * @param values the box's voxel values
   * @param outside 0 where a voxel belongs to no zone
   */
  static byte[] label(short[] values, byte[] outside, int ni, int nj, int nk, double[] levels, double noise) {
    byte[] label = new byte[values.length];
    if (levels.length == 1) {
      return label;
    }
    byte[] match = new byte[values.length];
    for (int p = 0; p < values.length; p++) {
      int best = nearest(levels, values[p]);
      match[p] = (byte) (Math.abs(values[p] - levels[best]) <= 3 * noise ? best : -1);
    }
    boolean[] known = new boolean[values.length];
    IntQueue queue = new IntQueue(values.length);
    for (int p = 0; p < values.length; p++) {
      if (outside[p] == 0 && match[p] >= 0) {
        label[p] = match[p];
        known[p] = true;
        queue.add(p);
      }
    }
    if (queue.isEmpty()) {
      for (int p = 0; p < values.length; p++) {
        label[p] = (byte) nearest(levels, values[p]);
      }
      return label;
    }
    // first through voxels on the same level, connected to the background outside the zones
    flood(queue, known, label, match, ni, nj, nk, true);
    // then everything else takes the level of the nearest voxel placed
    queue.clear();
    for (int p = 0; p < values.length; p++) {
      if (known[p]) {
        queue.add(p);
      }
    }
    flood(queue, known, label, match, ni, nj, nk, false);
    return label;
  }

  private static void flood(IntQueue queue, boolean[] known, byte[] label, byte[] match, int ni, int nj,
      int nk, boolean sameLevelOnly) {
    int plane = ni * nj;
    int[] next = new int[6];
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int c = p / plane;
      int b = (p - c * plane) / ni;
      int a = p - c * plane - b * ni;
      int n = 0;
      if (a > 0) {
        next[n++] = p - 1;
      }
      if (a < ni - 1) {
        next[n++] = p + 1;
      }
      if (b > 0) {
        next[n++] = p - ni;
      }
      if (b < nj - 1) {
        next[n++] = p + ni;
      }
      if (c > 0) {
        next[n++] = p - plane;
      }
      if (c < nk - 1) {
        next[n++] = p + plane;
      }
      for (int t = 0; t < n; t++) {
        int q = next[t];
        if (!known[q] && (!sameLevelOnly || match[q] == label[p])) {
          known[q] = true;
          label[q] = (byte) (sameLevelOnly ? label[p] : label[p] | BY_PROXIMITY);
          queue.add(q);
        }
      }
    }
  }

  private static int nearest(double[] levels, int value) {
    int best = 0;
    for (int l = 1; l < levels.length; l++) {
      if (Math.abs(value - levels[l]) < Math.abs(value - levels[best])) {
        best = l;
      }
    }
    return best;
  }
}
