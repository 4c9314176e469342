package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;

/**
 * The neighbourhood of one group of core voxels: the cores dilated by a margin (a box in
 * millimetres around each core voxel), kept as a mask over a box of the volume. Where the zones of
 * two groups overlap, each voxel goes to the group whose core centroid is nearer, so no voxel is
 * counted twice.
 */
public final class Zone {

  public final int i0;
  public final int j0;
  public final int k0;
  public final int ni;
  public final int nj;
  public final int nk;
  final boolean[] mask;
  /** Centroid of the core voxels, scan millimetres. */
  public final double[] coreCentroidMm = new double[3];
  /** Size of the core box, millimetres along i, j, k. */
  public final double[] coreExtentMm = new double[3];
  public final int coreVoxels;
  private final double dx;
  private final double dy;
  private final double dz;

  /**
   * @param cores linear indices of the core voxels of one group
   * @param margin dilation in voxels along i, j, k
   */
  public Zone(int[] cores, CtScan scan, int[] margin) {
    int nx = scan.nx();
    int ny = scan.ny();
    int plane = nx * ny;
    dx = scan.dx();
    dy = scan.dy();
    dz = scan.dz();
    int ci0 = Integer.MAX_VALUE, cj0 = Integer.MAX_VALUE, ck0 = Integer.MAX_VALUE;
    int ci1 = -1, cj1 = -1, ck1 = -1;
    double si = 0, sj = 0, sk = 0;
    for (int v : cores) {
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      ci0 = Math.min(ci0, i); ci1 = Math.max(ci1, i);
      cj0 = Math.min(cj0, j); cj1 = Math.max(cj1, j);
      ck0 = Math.min(ck0, k); ck1 = Math.max(ck1, k);
      si += i;
      sj += j;
      sk += k;
    }
    coreVoxels = cores.length;
    coreCentroidMm[0] = si / cores.length * dx;
    coreCentroidMm[1] = sj / cores.length * dy;
    coreCentroidMm[2] = sk / cores.length * dz;
    coreExtentMm[0] = (ci1 - ci0 + 1) * dx;
    coreExtentMm[1] = (cj1 - cj0 + 1) * dy;
    coreExtentMm[2] = (ck1 - ck0 + 1) * dz;
    i0 = Math.max(0, ci0 - margin[0]);
    j0 = Math.max(0, cj0 - margin[1]);
    k0 = Math.max(0, ck0 - margin[2]);
    ni = Math.min(nx - 1, ci1 + margin[0]) - i0 + 1;
    nj = Math.min(ny - 1, cj1 + margin[1]) - j0 + 1;
    nk = Math.min(scan.nz() - 1, ck1 + margin[2]) - k0 + 1;
    boolean[] m = new boolean[ni * nj * nk];
    for (int v : cores) {
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / nx;
      int i = rem - j * nx;
      m[(i - i0) + ni * ((j - j0) + nj * (k - k0))] = true;
    }
    m = dilate(m, 1, ni, ni, nj, nk, margin[0]);
    m = dilate(m, ni, nj, ni, nj, nk, margin[1]);
    mask = dilate(m, ni * nj, nk, ni, nj, nk, margin[2]);
  }

  /** Running-window dilation along one axis (stride, length) by r cells. */
  private static boolean[] dilate(boolean[] in, int stride, int length, int ni, int nj, int nk, int r) {
    if (r == 0) {
      return in;
    }
    boolean[] out = new boolean[in.length];
    int total = ni * nj * nk;
    for (int start = 0; start < total; start++) {
      // a line starts where the coordinate along this axis is 0
      if ((start / stride) % length != 0) {
        continue;
      }
      int last = -1_000_000;
      for (int t = 0; t < length; t++) {
        if (in[start + t * stride]) {
          last = t;
        }
        if (t - last <= r) {
          out[start + t * stride] = true;
        }
      }
      last = 1_000_000;
      for (int t = length - 1; t >= 0; t--) {
        if (in[start + t * stride]) {
          last = t;
        }
        if (last - t <= r) {
          out[start + t * stride] = true;
        }
      }
    }
    return out;
  }

  /** Whether the voxel (volume indices) belongs to this zone. */
  public boolean contains(int i, int j, int k) {
    int a = i - i0;
    int b = j - j0;
    int c = k - k0;
    return a >= 0 && b >= 0 && c >= 0 && a < ni && b < nj && c < nk && mask[a + ni * (b + nj * c)];
  }

  public boolean boxOverlaps(Zone o) {
    return i0 < o.i0 + o.ni && o.i0 < i0 + ni && j0 < o.j0 + o.nj && o.j0 < j0 + nj && k0 < o.k0 + o.nk
        && o.k0 < k0 + nk;
  }

  /** Gives up the voxels both zones hold that are nearer to the other zone's core centroid. */
  public void yieldTo(Zone other) {
    for (int c = 0; c < nk; c++) {
      for (int b = 0; b < nj; b++) {
        for (int a = 0; a < ni; a++) {
          int p = a + ni * (b + nj * c);
          if (!mask[p] || !other.contains(a + i0, b + j0, c + k0)) {
            continue;
          }
          double[] at = {(a + i0) * dx, (b + j0) * dy, (c + k0) * dz};
          if (distance2(at, other.coreCentroidMm) < distance2(at, coreCentroidMm)) {
            mask[p] = false;
          }
        }
      }
    }
  }

  private static double distance2(double[] a, double[] b) {
    double x = a[0] - b[0];
    double y = a[1] - b[1];
    double z = a[2] - b[2];
    return x * x + y * y + z * z;
  }
}
