package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The cores of small bright objects: voxels brighter, by at least a contrast, than the points on a ring around them in their slice. The ring (radius larger than half a blurred
 * seed) lies outside a seed whatever its orientation, so the test measures contrast against the
 * local surroundings, in soft tissue as in lung, and ignores thin ridges (a ridge through the voxel
 * crosses the ring at opposite points) and the inside of large bright structures (bone, where the
 * ring is bright all round). Up to three neighbouring ring points may be bright: brighter tissue on
 * one side (a seed in lung near the mediastinum), a neighbouring seed on the needle or the partner
 * of a touching pair. One parallel pass over the
 * volume (slabs of slices per thread); the result is a sorted array of linear indices. Voxels closer
 * to the image border than the ring radius are not examined.
 */
public final class RingCores {

  /** Bright ring points (bit r = point r) that still make a core: none, or one arc of up to three. */
  private static final boolean[] ACCEPTED = new boolean[256];

  static {
    ACCEPTED[0] = true;
    for (int start = 0; start < 8; start++) {
      int arc = 0;
      for (int length = 1; length <= 3; length++) {
        arc |= 1 << ((start + length - 1) % 8);
        ACCEPTED[arc] = true;
      }
    }
  }

  /**
   * Radius of the second ring, tried where the first has bright points on more than one arc, as a
   * fraction of the first: 3.5 mm for the default 5 mm, still beyond the end of a seed lying in the
   * slice plane (half its length plus the blur).
   */
  static final double INNER = 0.7;

  private RingCores() {}

  public static int[] find(CtScan scan, double radiusMm, int contrast, int threads) throws InterruptedException {
    int nx = scan.nx();
    int ny = scan.ny();
    int nz = scan.nz();
    int rx = Math.max(1, (int) Math.round(radiusMm / scan.dx()));
    int ry = Math.max(1, (int) Math.round(radiusMm / scan.dy()));
    int qx = Math.max(1, (int) Math.round(radiusMm / Math.sqrt(2) / scan.dx()));
    int qy = Math.max(1, (int) Math.round(radiusMm / Math.sqrt(2) / scan.dy()));
    int[] ring = offsets(radiusMm, scan.dx(), scan.dy(), nx);
    int[] inner = offsets(INNER * radiusMm, scan.dx(), scan.dy(), nx);
    int marginX = Math.max(rx, qx);
    int marginY = Math.max(ry, qy);
    if (nx <= 2 * marginX || ny <= 2 * marginY) {
      return new int[0];
    }
    short[] hu = scan.hu();
    int slab = Math.max(1, (nz + threads - 1) / threads);
    List<Callable<int[]>> slabs = new ArrayList<>();
    for (int k0 = 0; k0 < nz; k0 += slab) {
      int from = k0;
      int to = Math.min(nz, k0 + slab);
      slabs.add(() -> scan(hu, nx, ny, from, to, marginX, marginY, ring, inner, contrast));
    }
    List<int[]> found = Parallel.run(slabs, threads);
    int total = 0;
    for (int[] part : found) {
      total += part.length;
    }
    int[] all = new int[total];
    int pos = 0;
    for (int[] part : found) {
      System.arraycopy(part, 0, all, pos, part.length);
      pos += part.length;
    }
    return all;
  }

  /** Ring points in angular order: 0, 45, ..., 315 degrees (linear offsets in a slice). */
  private static int[] offsets(double radiusMm, double dx, double dy, int nx) {
    int rx = Math.max(1, (int) Math.round(radiusMm / dx));
    int ry = Math.max(1, (int) Math.round(radiusMm / dy));
    int qx = Math.max(1, (int) Math.round(radiusMm / Math.sqrt(2) / dx));
    int qy = Math.max(1, (int) Math.round(radiusMm / Math.sqrt(2) / dy));
    return new int[] {rx, qx + qy * nx, ry * nx, -qx + qy * nx, -rx, -qx - qy * nx, -ry * nx, qx - qy * nx};
  }

  private static int brightPoints(short[] hu, int v, int[] ring, int level) {
    int bright = 0;
    for (int r = 0; r < 8; r++) {
      if (hu[v + ring[r]] >= level) {
        bright |= 1 << r;
      }
    }
    return bright;
  }

  private static int[] scan(short[] hu, int nx, int ny, int k0, int k1, int mx, int my, int[] ring, int[] inner,
      int contrast) {
    int[] out = new int[256];
    int n = 0;
    int east = ring[0];
    int north = ring[2];
    int west = ring[4];
    int south = ring[6];
    for (int k = k0; k < k1; k++) {
      for (int j = my; j < ny - my; j++) {
        int rowStart = nx * (j + ny * k);
        for (int v = rowStart + mx; v < rowStart + nx - mx; v++) {
          int level = hu[v] - contrast;
          // two opposite bright points (flat background, a ridge through v) can never be accepted
          if ((hu[v + east] >= level && hu[v + west] >= level)
              || (hu[v + north] >= level && hu[v + south] >= level)) {
            continue;
          }
          // where brighter tissue covers more than one arc of the ring (a seed in a corner of the
          // lung, tissue on two sides), the smaller ring, still outside the seed, may pass
          int outer = brightPoints(hu, v, ring, level);
          if (ACCEPTED[outer] || (Integer.bitCount(outer) <= 5
              && ACCEPTED[brightPoints(hu, v, inner, level)])) {
            if (n == out.length) {
              out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = v;
          }
        }
      }
    }
    return Arrays.copyOf(out, n);
  }
}
