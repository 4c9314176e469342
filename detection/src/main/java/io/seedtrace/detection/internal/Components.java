package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 26-connected components of a sparse set of voxels (sorted linear indices), by union-find. Only
 * the 13 neighbours that precede a voxel in scan order are looked up (binary search).
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
            int q = Arrays.binarySearch(voxels, 0, p, ii + nx * (jj + ny * kk));
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
