package io.seedtrace.detection.phantom.scanned;

import java.util.Arrays;

/**
 * Line integrals of the anatomy maps by Joseph's method.
 *
 * <p>For every ray the image is crossed row by row (or column by column, whichever the ray runs
 * along more steeply); at each crossing the map is interpolated linearly between the two nearest
 * cells and the samples are summed with weight step/|cos|, the path length per row. This is the
 * standard accurate projector for smooth images. Rows are walked in the inner loop for all bins of
 * a view at once, so memory is read in order; for column-wise views a transposed copy is used.
 */
final class JosephProjector {

  private final AnatomyRaster raster;
  private final ParallelBeam beam;
  private final float[] waterT;
  private final float[] boneT;
  private final int[] rowFirst;
  private final int[] rowLast;
  private final int[] colFirst;
  private final int[] colLast;

  JosephProjector(AnatomyRaster raster, ParallelBeam beam) {
    this.raster = raster;
    this.beam = beam;
    this.waterT = new float[raster.nx * raster.ny];
    this.boneT = new float[raster.nx * raster.ny];
    this.rowFirst = new int[raster.ny];
    this.rowLast = new int[raster.ny];
    this.colFirst = new int[raster.nx];
    this.colLast = new int[raster.nx];
  }

  /** Projects the raster's current content: water and bone path lengths (mm) per ray. */
  void project(float[] waterOut, float[] boneOut) {
    Arrays.fill(waterOut, 0);
    Arrays.fill(boneOut, 0);
    transpose(raster.water, waterT);
    transpose(raster.bone, boneT);
    extents(raster.water, raster.bone, raster.nx, raster.ny, rowFirst, rowLast);
    extents(waterT, boneT, raster.ny, raster.nx, colFirst, colLast);
    for (int v = 0; v < beam.views; v++) {
      double c = beam.cos[v];
      double s = beam.sin[v];
      if (Math.abs(c) >= Math.abs(s)) {
        // ray runs mostly along y: walk rows; x = (u - y s) / c
        walk(v, c, s, raster.x0, raster.y0, raster.nx, raster.ny, raster.water, raster.bone,
            rowFirst, rowLast, waterOut, boneOut);
      } else {
        // ray runs mostly along x: walk columns of the transposed maps; y = (u - x c) / s
        walk(v, s, c, raster.y0, raster.x0, raster.ny, raster.nx, waterT, boneT, colFirst, colLast,
            waterOut, boneOut);
      }
    }
  }

  /**
   * Generic walk: lines of constant "outer" coordinate, interpolating along "inner"; the ray meets
   * outer line {@code o} at inner coordinate {@code (u - o * b) / a}. Only the stretch of each line
   * between its first and last non-empty cell is visited.
   */
  private void walk(int v, double a, double b, double inner0, double outer0, int nInner, int nOuter,
      float[] w, float[] bn, int[] first, int[] last, float[] wOut, float[] bOut) {
    double step = raster.step;
    float weight = (float) (step / Math.abs(a));
    double dfi = beam.du / (a * step);
    float dff = (float) dfi;
    int off = v * beam.bins;
    double uStart = beam.u0 - beam.shift[v];
    int[] range = new int[2];
    for (int o = 0; o < nOuter; o++) {
      if (last[o] < first[o]) {
        continue;
      }
      double outer = outer0 + o * step;
      double fiStart = ((uStart - outer * b) / a - inner0) / step;
      binRange(fiStart, dfi, Math.max(0, first[o] - 1), Math.min(nInner - 1, last[o] + 1), range);
      int line = o * nInner;
      int top = nInner - 2;
      float fi = (float) (fiStart + range[0] * dfi);
      for (int k = range[0]; k <= range[1]; k++, fi += dff) {
        int i = (int) fi;
        if (i > top) {
          i = top;
        }
        float t = fi - i;
        int p = line + i;
        wOut[off + k] += weight * (w[p] + t * (w[p + 1] - w[p]));
        bOut[off + k] += weight * (bn[p] + t * (bn[p + 1] - bn[p]));
      }
    }
  }

  /** First and last cell of each line holding anything (last < first for an empty line). */
  private static void extents(float[] w, float[] bn, int nInner, int nOuter, int[] first, int[] last) {
    for (int o = 0; o < nOuter; o++) {
      int line = o * nInner;
      int f = 0;
      while (f < nInner && w[line + f] == 0 && bn[line + f] == 0) {
        f++;
      }
      int l = nInner - 1;
      while (l >= f && w[line + l] == 0 && bn[line + l] == 0) {
        l--;
      }
      first[o] = f;
      last[o] = l;
    }
  }

  /** Bins whose fractional index {@code f0 + k*df} falls inside [from, to], into {@code range}. */
  private void binRange(double f0, double df, int from, int to, int[] range) {
    double kLo = (from - f0) / df;
    double kHi = (to - f0) / df;
    if (kLo > kHi) {
      double t = kLo;
      kLo = kHi;
      kHi = t;
    }
    range[0] = Math.max(0, (int) Math.ceil(kLo + 1e-6));
    range[1] = Math.min(beam.bins - 1, (int) Math.floor(kHi - 1e-6));
  }

  private void transpose(float[] src, float[] dst) {
    int nx = raster.nx;
    int ny = raster.ny;
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        dst[i * ny + j] = src[j * nx + i];
      }
    }
  }
}
