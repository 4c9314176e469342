package io.seedtrace.detection.phantom.scanned;

import java.util.Arrays;
import java.util.List;

/**
 * The metal in one thin sub-slice plane, sampled finely and projected sparsely.
 *
 * <p>Seed walls are 0.05 mm thick and seed cores 0.25 mm to 0.5 mm wide, far below a CT pixel, so
 * metal cannot share the anatomy grid. Instead each metal part crossing the plane is sampled on a
 * 0.1 mm grid with 3 x 3 points per cell, and every cell containing metal is kept as a small area
 * element (position and area). Projection then spreads each element over the two nearest detector
 * sub-bins (see {@link MetalSinogram}): the element adds {@code area / width} mm of metal path,
 * averaged over the sub-bin. This keeps the metal's projected mass exact and is cheap because only
 * a few thousand elements exist.
 */
final class MetalSheet {

  private static final double CELL_MM = 0.1;
  private static final int SUB = 3;
  private static final Metal[] METALS = Metal.values();

  private final float[][] x = new float[METALS.length][];
  private final float[][] y = new float[METALS.length][];
  private final float[][] area = new float[METALS.length][];
  private final int[] count = new int[METALS.length];

  MetalSheet() {
    for (int m = 0; m < METALS.length; m++) {
      x[m] = new float[1024];
      y[m] = new float[1024];
      area[m] = new float[1024];
    }
  }

  /** Samples all parts crossing the plane {@code z}; returns whether any metal was found. */
  boolean sample(List<MetalPart> parts, double z) {
    Arrays.fill(count, 0);
    boolean any = false;
    for (MetalPart part : parts) {
      Solid.Bounds b = part.solid().bounds();
      if (b.coversZ(z)) {
        any |= rasterise(part, b, z);
      }
    }
    return any;
  }

  private boolean rasterise(MetalPart part, Solid.Bounds b, double z) {
    boolean any = false;
    int m = part.metal().ordinal();
    double sub = CELL_MM / SUB;
    for (double cy = Math.floor(b.minY() / CELL_MM) * CELL_MM; cy < b.maxY(); cy += CELL_MM) {
      for (double cx = Math.floor(b.minX() / CELL_MM) * CELL_MM; cx < b.maxX(); cx += CELL_MM) {
        int hits = 0;
        for (int a = 0; a < SUB; a++) {
          for (int c = 0; c < SUB; c++) {
            if (part.contains(cx + (c + 0.5) * sub, cy + (a + 0.5) * sub, z)) {
              hits++;
            }
          }
        }
        if (hits > 0) {
          add(m, cx + CELL_MM / 2, cy + CELL_MM / 2, hits * sub * sub);
          any = true;
        }
      }
    }
    return any;
  }

  private void add(int m, double px, double py, double a) {
    if (count[m] == x[m].length) {
      int n = 2 * count[m];
      x[m] = Arrays.copyOf(x[m], n);
      y[m] = Arrays.copyOf(y[m], n);
      area[m] = Arrays.copyOf(area[m], n);
    }
    x[m][count[m]] = (float) px;
    y[m][count[m]] = (float) py;
    area[m][count[m]] = (float) a;
    count[m]++;
  }

  /**
   * Projects the sampled metal: for each metal present, adds its path length (mm) per ray to
   * {@code sinogram[metal]} (allocated on first use) and widens the per-view bin range touched.
   */
  void project(ParallelBeam beam, MetalSinogram sinogram) {
    for (int m = 0; m < METALS.length; m++) {
      if (count[m] > 0) {
        splat(beam, m, sinogram.of(m));
        sinogram.markAll(beam, x[m], y[m], count[m]);
      }
    }
  }

  private void splat(ParallelBeam beam, int m, float[] out) {
    float[] px = x[m];
    float[] py = y[m];
    float[] pa = area[m];
    int sub = MetalSinogram.SUB_BINS;
    double inv = sub / beam.du;
    int last = beam.bins * sub - 1;
    for (int v = 0; v < beam.views; v++) {
      double c = beam.cos[v];
      double s = beam.sin[v];
      double base = (beam.shift[v] - beam.u0) * inv + 1;
      int off = v * beam.bins * sub;
      for (int e = 0; e < count[m]; e++) {
        double f = (px[e] * c + py[e] * s) * inv + base;
        int k = (int) Math.floor(f);
        if (k < 0 || k >= last) {
          continue;
        }
        double w = f - k;
        double a = pa[e] * inv;
        out[off + k] += (float) (a * (1 - w));
        out[off + k + 1] += (float) (a * w);
      }
    }
  }
}
