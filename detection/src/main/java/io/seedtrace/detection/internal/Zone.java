package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;
import java.util.Arrays;

/**
 * The neighbourhood of one group of core voxels: the cores dilated by a margin (a box in
 * millimetres around each core voxel), kept as a mask over a box of the volume. Where the zones of
 * two groups overlap, each voxel goes to the group with the nearer core voxel, so no voxel is
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
  /** Core voxel positions, scan millimetres, x y z interleaved. */
  private final double[] coreMm;
  private final double dx;
  private final double dy;
  private final double dz;

  /**
   * @param cores linear indices of the core voxels of one group
   * @param margin dilation in voxels along i, j, k
   * @param reachMm the zone also holds every voxel this close to the core centroid, so an object
   *     with few core voxels (a faint seed beside brighter tissue) is still measured whole
   */
  public Zone(int[] cores, CtScan scan, int[] margin, double reachMm) {
    int nx = scan.nx();
    int ny = scan.ny();
    int plane = nx * ny;
    dx = scan.dx();
    dy = scan.dy();
    dz = scan.dz();
    CoreBox box = CoreBox.of(cores, nx, plane);
    coreVoxels = cores.length;
    coreMm = corePositions(cores, nx, plane);
    coreCentroidMm[0] = box.si() / cores.length * dx;
    coreCentroidMm[1] = box.sj() / cores.length * dy;
    coreCentroidMm[2] = box.sk() / cores.length * dz;
    coreExtentMm[0] = (box.ci1() - box.ci0() + 1) * dx;
    coreExtentMm[1] = (box.cj1() - box.cj0() + 1) * dy;
    coreExtentMm[2] = (box.ck1() - box.ck0() + 1) * dz;
    int ri = (int) Math.ceil(reachMm / dx);
    int rj = (int) Math.ceil(reachMm / dy);
    int rk = (int) Math.ceil(reachMm / dz);
    int mi = (int) Math.round(coreCentroidMm[0] / dx);
    int mj = (int) Math.round(coreCentroidMm[1] / dy);
    int mk = (int) Math.round(coreCentroidMm[2] / dz);
    i0 = Math.max(0, Math.min(box.ci0() - margin[0], mi - ri));
    j0 = Math.max(0, Math.min(box.cj0() - margin[1], mj - rj));
    k0 = Math.max(0, Math.min(box.ck0() - margin[2], mk - rk));
    ni = Math.min(nx - 1, Math.max(box.ci1() + margin[0], mi + ri)) - i0 + 1;
    nj = Math.min(ny - 1, Math.max(box.cj1() + margin[1], mj + rj)) - j0 + 1;
    nk = Math.min(scan.nz() - 1, Math.max(box.ck1() + margin[2], mk + rk)) - k0 + 1;
    boolean[] m = dilatedCores(cores, nx, plane, margin);
    addReach(m, reachMm);
    mask = m;
  }

  /** The core voxels' bounding box (voxel indices, inclusive) and the sums of their indices. */
  private record CoreBox(int ci0, int cj0, int ck0, int ci1, int cj1, int ck1, double si, double sj, double sk) {

    static CoreBox of(int[] cores, int nx, int plane) {
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
      return new CoreBox(ci0, cj0, ck0, ci1, cj1, ck1, si, sj, sk);
    }
  }

  /** Core voxel positions, scan millimetres, x y z interleaved. */
  private double[] corePositions(int[] cores, int nx, int plane) {
    double[] mm = new double[3 * cores.length];
    for (int m = 0; m < cores.length; m++) {
      int v = cores[m];
      int k = v / plane;
      int rem = v - k * plane;
      mm[3 * m] = (rem % nx) * dx;
      mm[3 * m + 1] = (rem / nx) * dy;
      mm[3 * m + 2] = k * dz;
    }
    return mm;
  }

  /** The core voxels marked in the zone's box, dilated by the margin along i, j and k. */
  private boolean[] dilatedCores(int[] cores, int nx, int plane, int[] margin) {
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
    m = dilate(m, ni * nj, nk, ni, nj, nk, margin[2]);
    return m;
  }

  /** Adds to the mask every voxel of the box within {@code reachMm} of the core centroid. */
  private void addReach(boolean[] m, double reachMm) {
    for (int c = 0; c < nk; c++) {
      for (int b = 0; b < nj; b++) {
        for (int a = 0; a < ni; a++) {
          double x = (a + i0) * dx - coreCentroidMm[0];
          double y = (b + j0) * dy - coreCentroidMm[1];
          double z = (c + k0) * dz - coreCentroidMm[2];
          if (x * x + y * y + z * z <= reachMm * reachMm) {
            m[a + ni * (b + nj * c)] = true;
          }
        }
      }
    }
  }

  /**
   * Running-window dilation along one axis (stride, length) by r cells. The lines of a block are
   * walked side by side (the last set cell of each kept apart), so memory is read in order.
   */
  static boolean[] dilate(boolean[] in, int stride, int length, int ni, int nj, int nk, int r) {
    if (r == 0) {
      return in;
    }
    boolean[] out = new boolean[in.length];
    int total = ni * nj * nk;
    int block = stride * length;
    int[] last = new int[stride];
    for (int base = 0; base < total; base += block) {
      Arrays.fill(last, -1_000_000);
      for (int t = 0; t < length; t++) {
        int row = base + t * stride;
        for (int offset = 0; offset < stride; offset++) {
          if (in[row + offset]) {
            last[offset] = t;
          }
          if (t - last[offset] <= r) {
            out[row + offset] = true;
          }
        }
      }
      Arrays.fill(last, 1_000_000);
      for (int t = length - 1; t >= 0; t--) {
        int row = base + t * stride;
        for (int offset = 0; offset < stride; offset++) {
          if (in[row + offset]) {
            last[offset] = t;
          }
          if (last[offset] - t <= r) {
            out[row + offset] = true;
          }
        }
      }
    }
    return out;
  }

  /** The core voxels as volume indices (i, j, k). */
  public java.util.List<int[]> coreVoxels(CtScan scan) {
    java.util.List<int[]> out = new java.util.ArrayList<>(coreVoxels);
    for (int m = 0; m < coreMm.length; m += 3) {
      out.add(new int[] {(int) Math.round(coreMm[m] / scan.dx()), (int) Math.round(coreMm[m + 1] / scan.dy()),
          (int) Math.round(coreMm[m + 2] / scan.dz())});
    }
    return out;
  }

  /**
   * Writes {@code value} into a box-local array (origin e0, size en, x fastest) wherever this zone
   * holds the voxel; this zone's voxels overwrite what was there.
   */
  public void paint(byte[] target, byte value, int ei0, int ej0, int ek0, int eni, int enj, int enk) {
    int a0 = Math.max(i0, ei0);
    int a1 = Math.min(i0 + ni, ei0 + eni);
    int b0 = Math.max(j0, ej0);
    int b1 = Math.min(j0 + nj, ej0 + enj);
    int c0 = Math.max(k0, ek0);
    int c1 = Math.min(k0 + nk, ek0 + enk);
    for (int k = c0; k < c1; k++) {
      for (int j = b0; j < b1; j++) {
        int src = ni * ((j - j0) + nj * (k - k0)) - i0;
        int dst = eni * ((j - ej0) + enj * (k - ek0)) - ei0;
        for (int i = a0; i < a1; i++) {
          if (mask[src + i]) {
            target[dst + i] = value;
          }
        }
      }
    }
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

  /** Gives up the voxels both zones hold that are nearer to one of the other zone's core voxels. */
  public void yieldTo(Zone other) {
    // only the boxes' intersection can hold voxels of both
    int a0 = Math.max(i0, other.i0) - i0;
    int a1 = Math.min(i0 + ni, other.i0 + other.ni) - i0;
    int b0 = Math.max(j0, other.j0) - j0;
    int b1 = Math.min(j0 + nj, other.j0 + other.nj) - j0;
    int c0 = Math.max(k0, other.k0) - k0;
    int c1 = Math.min(k0 + nk, other.k0 + other.nk) - k0;
    for (int c = c0; c < c1; c++) {
      for (int b = b0; b < b1; b++) {
        for (int a = a0; a < a1; a++) {
          int p = a + ni * (b + nj * c);
          if (!mask[p] || !other.contains(a + i0, b + j0, c + k0)) {
            continue;
          }
          double x = (a + i0) * dx;
          double y = (b + j0) * dy;
          double z = (c + k0) * dz;
          if (other.hasCoreCloser(x, y, z, nearestCore2(x, y, z))) {
            mask[p] = false;
          }
        }
      }
    }
  }

  private double nearestCore2(double x0, double y0, double z0) {
    double best = Double.MAX_VALUE;
    for (int m = 0; m < coreMm.length; m += 3) {
      double x = x0 - coreMm[m];
      double y = y0 - coreMm[m + 1];
      double z = z0 - coreMm[m + 2];
      best = Math.min(best, x * x + y * y + z * z);
    }
    return best;
  }

  /** Whether a core voxel lies nearer than {@code distance2} (squared, mm2) to the point. */
  private boolean hasCoreCloser(double x0, double y0, double z0, double distance2) {
    for (int m = 0; m < coreMm.length; m += 3) {
      double x = x0 - coreMm[m];
      double y = y0 - coreMm[m + 1];
      double z = z0 - coreMm[m + 2];
      if (x * x + y * y + z * z < distance2) {
        return true;
      }
    }
    return false;
  }
}
