package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The voxels above a threshold, as a sorted array of linear indices, found by one parallel pass
 * over the volume (slabs of slices per thread). Nothing of the size of the volume is allocated.
 */
public final class Foreground {

  private Foreground() {}

  public static int[] above(CtScan scan, int threshold, int threads) throws InterruptedException {
    int nz = scan.nz();
    int slab = Math.max(1, (nz + threads - 1) / threads);
    short[] hu = scan.hu();
    int plane = scan.nx() * scan.ny();
    if (threads == 1) {
      return scanRange(hu, 0, (long) plane * nz, threshold);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "seed-scan");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<int[]>> parts = new ArrayList<>();
      for (int k0 = 0; k0 < nz; k0 += slab) {
        long from = (long) k0 * plane;
        long to = (long) Math.min(nz, k0 + slab) * plane;
        parts.add(pool.submit(() -> scanRange(hu, from, to, threshold)));
      }
      List<int[]> found = new ArrayList<>();
      int total = 0;
      for (Future<int[]> f : parts) {
        int[] part = f.get();
        found.add(part);
        total += part.length;
      }
      int[] all = new int[total];
      int pos = 0;
      for (int[] part : found) {
        System.arraycopy(part, 0, all, pos, part.length);
        pos += part.length;
      }
      return all;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static int[] scanRange(short[] hu, long from, long to, int threshold) {
    int[] out = new int[256];
    int n = 0;
    for (int i = (int) from; i < to; i++) {
      if (hu[i] > threshold) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
