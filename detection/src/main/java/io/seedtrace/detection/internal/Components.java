package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 26-connected components of a sparse set of voxels (sorted linear indices), by union-find. Only
 * the 13 neighbours that precede a voxel in scan order are looked up, in a bit set over the volume
 * with a running count per 64-bit word (the rank of a set bit is its position in the array), so
 * each look-up is O(1) and the labelling O(m) for m voxels, however many there are.
 */
public final class Components {

  private Components() {}

  /** Each component as an array of positions into {@code voxels}. */
  public static List<int[]> label(int[] voxels, int nx, int ny, int nz) {
    int n = voxels.length;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    int plane = nx * ny;
    Rank rank = new Rank(voxels);
    for (int p = 0; p < n; p++) {
      int v = voxels[p];
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      for (int dk = -1; dk <= 0; dk++) {
        for (int dj = -1; dj <= 1; dj++) {
          for (int di = -1; di <= 1; di++) {
            if (dk == 0 && (dj > 0 || (dj == 0 && di >= 0))) {
              continue; // only neighbours earlier in scan order
            }
            int ii = i + di;
            int jj = j + dj;
            int kk = k + dk;
            if (ii < 0 || jj < 0 || kk < 0 || ii >= nx || jj >= ny) {
              continue;
            }
            int q = rank.indexOf(ii + nx * (jj + ny * kk));
            if (q >= 0) {
              union(parent, p, q);
            }
          }
        }
      }
    }
    int[] rootIndex = new int[n];
    Arrays.fill(rootIndex, -1);
    List<int[]> groups = new ArrayList<>();
    int[] sizes = new int[n];
    for (int p = 0; p < n; p++) {
      sizes[find(parent, p)]++;
    }
    int[] fill = new int[n];
    for (int p = 0; p < n; p++) {
      int r = find(parent, p);
      if (rootIndex[r] < 0) {
        rootIndex[r] = groups.size();
        groups.add(new int[sizes[r]]);
      }
      int g = rootIndex[r];
      groups.get(g)[fill[g]++] = p;
    }
    return groups;
  }

  /**
   * Membership and position of a voxel in the sorted array, in O(1); the bit set spans only the
   * voxels' range (from the first to the last), not the volume.
   */
  private static final class Rank {
    private final long[] bits;
    private final int[] before;
    private final int first;

    Rank(int[] sorted) {
      first = sorted.length == 0 ? 0 : sorted[0];
      long span = sorted.length == 0 ? 0 : (long) sorted[sorted.length - 1] - first + 1;
      bits = new long[(int) ((span + 63) >>> 6)];
      for (int v : sorted) {
        int o = v - first;
        bits[o >>> 6] |= 1L << (o & 63);
      }
      before = new int[bits.length];
      int count = 0;
      for (int w = 0; w < bits.length; w++) {
        before[w] = count;
        count += Long.bitCount(bits[w]);
      }
    }

    /** Position of voxel v in the array, or -1 when it is not in it. */
    int indexOf(int v) {
      int o = v - first;
      if (o < 0 || (o >>> 6) >= bits.length) {
        return -1;
      }
      int w = o >>> 6;
      long bit = 1L << (o & 63);
      if ((bits[w] & bit) == 0) {
        return -1;
      }
      return before[w] + Long.bitCount(bits[w] & (bit - 1));
    }
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
