package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a connected group of core voxels at deep valleys: seeds on one needle in thick slices, or
 * two seeds whose blur touches, share one group of cores although each has its own peak. The group
 * is flooded from its brightest voxel down (a watershed); where two flooded parts meet, they stay
 * apart if the voxel joining them lies below a fraction of the lower part's peak height above the
 * baseline, and merge otherwise (noise on a seed's plateau, or touching seeds the scan cannot
 * resolve).
 */
public final class CoreSplitter {

  private CoreSplitter() {}

  /**
   * @param cores linear indices of one 26-connected group
   * @param baseline the level heights are measured from (about the background)
   * @param valley parts stay apart where the joining voxel is below this fraction of the lower peak
   */
  public static List<int[]> split(int[] cores, short[] hu, int nx, int ny, double baseline, double valley) {
    int n = cores.length;
    if (n < 3) {
      return List.of(cores);
    }
    Map<Integer, Integer> position = new HashMap<>(n * 2);
    for (int p = 0; p < n; p++) {
      position.put(cores[p], p);
    }
    Integer[] order = new Integer[n];
    for (int p = 0; p < n; p++) {
      order[p] = p;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(hu[cores[b]], hu[cores[a]]));
    int[] parent = new int[n];
    double[] peak = new double[n];
    boolean[] done = new boolean[n];
    int plane = nx * ny;
    for (int p : order) {
      int v = cores[p];
      parent[p] = p;
      peak[p] = hu[v];
      done[p] = true;
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      List<Integer> roots = new ArrayList<>(4);
      for (int dk = -1; dk <= 1; dk++) {
        for (int dj = -1; dj <= 1; dj++) {
          for (int di = -1; di <= 1; di++) {
            if ((di | dj | dk) == 0 || i + di < 0 || i + di >= nx || j + dj < 0 || j + dj >= ny) {
              continue;
            }
            Integer q = position.get(v + di + nx * (dj + ny * dk));
            if (q != null && done[q]) {
              int r = find(parent, q);
              if (!roots.contains(r)) {
                roots.add(r);
              }
            }
          }
        }
      }
      if (roots.isEmpty()) {
        continue;
      }
      roots.sort((a, b) -> Double.compare(peak[b], peak[a]));
      int top = roots.get(0);
      parent[p] = top;
      double height = hu[v] - baseline;
      for (int r = 1; r < roots.size(); r++) {
        int other = roots.get(r);
        if (height >= valley * (peak[other] - baseline)) {
          parent[other] = top;
        }
      }
    }
    Map<Integer, List<Integer>> parts = new HashMap<>();
    for (int p = 0; p < n; p++) {
      parts.computeIfAbsent(find(parent, p), x -> new ArrayList<>()).add(cores[p]);
    }
    if (parts.size() == 1) {
      return List.of(cores);
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> part : parts.values()) {
      int[] a = part.stream().mapToInt(Integer::intValue).sorted().toArray();
      out.add(a);
    }
    return out;
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
}
