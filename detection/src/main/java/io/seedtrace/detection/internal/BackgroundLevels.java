package io.seedtrace.detection.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The background around an object: the distinct tissue levels among the voxels around it (lung,
 * fat, soft tissue, bone: modes of their histogram at least 100 HU or 5 noise deviations apart, each holding 12% of the voxels within two noise
 * deviations),
 * and for every voxel of the box the level it lies on. A voxel within 3 noise deviations of a level
 * lies on it if it is connected, through voxels on that level, to the background outside the zones
 * (so the values a seed's profile passes through on its way up do not count); any other voxel takes
 * the level of the nearest voxel placed, through the box. A seed in lung next to soft tissue is thus
 * measured against lung, and the tissue beside it against tissue.
 */
final class BackgroundLevels {

  private BackgroundLevels() {}

  /** Levels (HU, ascending) of the background samples. */
  static double[] of(short[] samples, double noise) {
    if (samples.length == 0) {
      return new double[] {0};
    }
    short[] s = samples.clone();
    Arrays.sort(s);
    double bin = Math.max(10, noise);
    int lo = s[0];
    int bins = (int) ((s[s.length - 1] - lo) / bin) + 1;
    int[] histogram = new int[bins];
    for (short v : s) {
      histogram[(int) ((v - lo) / bin)]++;
    }
    int half = 2;
    double[] smooth = new double[bins];
    for (int b = 0; b < bins; b++) {
      for (int d = -half; d <= half; d++) {
        if (b + d >= 0 && b + d < bins) {
          smooth[b] += histogram[b + d];
        }
      }
    }
    double separation = Math.max(100, 5 * noise);
    List<Double> peaks = new ArrayList<>();
    List<Double> heights = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      boolean max = (b == 0 || smooth[b] >= smooth[b - 1]) && (b == bins - 1 || smooth[b] > smooth[b + 1]);
      if (!max || smooth[b] < 0.12 * s.length) {
        continue;
      }
      double centre = lo + (b + 0.5) * bin;
      if (!peaks.isEmpty() && centre - peaks.get(peaks.size() - 1) < separation) {
        if (smooth[b] > heights.get(heights.size() - 1)) {
          peaks.set(peaks.size() - 1, centre);
          heights.set(heights.size() - 1, smooth[b]);
        }
        continue;
      }
      peaks.add(centre);
      heights.add(smooth[b]);
    }
    if (peaks.size() <= 1) {
      return new double[] {s[s.length / 2]};
    }
    double[] levels = new double[peaks.size()];
    for (int p = 0; p < levels.length; p++) {
      double centre = peaks.get(p);
      int from = lowerBound(s, centre - 2 * noise);
      int to = lowerBound(s, centre + 2 * noise + 1);
      levels[p] = to > from ? s[(from + to) / 2] : centre;
    }
    return levels;
  }

  private static int lowerBound(short[] s, double value) {
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
   * Level index per voxel of a box (values given box-local, x fastest).
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
    ArrayDeque<Integer> queue = new ArrayDeque<>();
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
    for (int p = 0; p < values.length; p++) {
      if (known[p]) {
        queue.add(p);
      }
    }
    flood(queue, known, label, match, ni, nj, nk, false);
    return label;
  }

  private static void flood(ArrayDeque<Integer> queue, boolean[] known, byte[] label, byte[] match, int ni, int nj,
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
          label[q] = label[p];
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
