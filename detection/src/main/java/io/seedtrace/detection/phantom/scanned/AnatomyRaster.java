package io.seedtrace.detection.phantom.scanned;

import java.util.Arrays;

/**
 * The anatomy of one slice as two basis maps (water and bone fractions) on a regular grid covering
 * the whole patient, ready for forward projection.
 *
 * <p>Each grid cell holds the average over the slice thickness and over the cell's area, so tissue
 * boundaries are partial-volume averaged as a real detector sees them: layers are painted in order
 * and each covers a cell by the fraction of sample points inside it. Interior cells are decided by
 * one sample per slice depth; only cells on a boundary are sampled on a finer 3 x 3 sub-grid. The
 * slice depth is sampled at evenly spaced planes at most 1.5 mm apart (two for thin slices, four for
 * 5 mm), so organ and bone boundaries crossing the slice are averaged through its thickness.
 * Finally a tissue-specific texture modulates the density of every cell.
 */
final class AnatomyRaster {

  private static final int SUB = 3;
  private static final Tissue[] TISSUES = Tissue.values();

  final double x0;
  final double y0;
  final double step;
  final int nx;
  final int ny;
  /** Water fraction, row-major (x fastest). */
  final float[] water;
  /** Bone fraction, row-major. */
  final float[] bone;
  private final byte[] label;
  private final byte[] mask;
  private final float[] coverage;

  AnatomyRaster(Solid.Bounds extent, double step) {
    this.step = step;
    this.x0 = extent.minX() - 2 * step;
    this.y0 = extent.minY() - 2 * step;
    this.nx = (int) Math.ceil((extent.maxX() - x0) / step) + 3;
    this.ny = (int) Math.ceil((extent.maxY() - y0) / step) + 3;
    this.water = new float[nx * ny];
    this.bone = new float[nx * ny];
    this.label = new byte[nx * ny];
    this.mask = new byte[nx * ny];
    this.coverage = new float[nx * ny];
  }

  /** Paints the slab of thickness {@code thicknessMm} centred on {@code zMm}. */
  void fill(Anatomy anatomy, double zMm, double thicknessMm) {
    Arrays.fill(water, 0);
    Arrays.fill(bone, 0);
    Arrays.fill(label, (byte) Tissue.AIR.ordinal());
    int n = Math.max(2, (int) Math.ceil(thicknessMm / 1.5));
    double[] planes = new double[n];
    for (int p = 0; p < n; p++) {
      planes[p] = zMm - thicknessMm / 2 + thicknessMm * (p + 0.5) / n;
    }
    for (Anatomy.Layer layer : anatomy.layers()) {
      Solid.Bounds b = layer.solid().bounds();
      if (b.maxZ() >= planes[0] && b.minZ() <= planes[n - 1]) {
        paint(layer, b, planes);
      }
    }
    texture(new ValueNoise(anatomy.textureSeed()), zMm);
  }

  private void paint(Anatomy.Layer layer, Solid.Bounds b, double[] planes) {
    int i0 = Math.max(0, (int) Math.floor((b.minX() - x0) / step));
    int i1 = Math.min(nx - 1, (int) Math.ceil((b.maxX() - x0) / step));
    int j0 = Math.max(0, (int) Math.floor((b.minY() - y0) / step));
    int j1 = Math.min(ny - 1, (int) Math.ceil((b.maxY() - y0) / step));
    if (i0 > i1 || j0 > j1) {
      return;
    }
    for (int j = j0; j <= j1; j++) {
      Arrays.fill(coverage, j * nx + i0, j * nx + i1 + 1, 0f);
    }
    for (double z : planes) {
      if (b.coversZ(z)) {
        addCoverage(layer.solid(), z, i0, i1, j0, j1, 1f / planes.length);
      }
    }
    blend(layer, i0, i1, j0, j1);
  }

  private void addCoverage(Solid s, double z, int i0, int i1, int j0, int j1, float share) {
    for (int j = j0; j <= j1; j++) {
      double y = y0 + j * step;
      for (int i = i0; i <= i1; i++) {
        mask[j * nx + i] = (byte) (s.contains(x0 + i * step, y, z) ? 1 : 0);
      }
    }
    for (int j = j0; j <= j1; j++) {
      for (int i = i0; i <= i1; i++) {
        int c = j * nx + i;
        byte m = mask[c];
        boolean interior = i > i0 && i < i1 && j > j0 && j < j1 && mask[c - 1] == m
            && mask[c + 1] == m && mask[c - nx] == m && mask[c + nx] == m;
        if (interior) {
          coverage[c] += m * share;
        } else {
          coverage[c] += share * subSampled(s, x0 + i * step, y0 + j * step, z);
        }
      }
    }
  }

  private float subSampled(Solid s, double xc, double yc, double z) {
    int inside = 0;
    for (int a = 0; a < SUB; a++) {
      double y = yc + ((a + 0.5) / SUB - 0.5) * step;
      for (int c = 0; c < SUB; c++) {
        if (s.contains(xc + ((c + 0.5) / SUB - 0.5) * step, y, z)) {
          inside++;
        }
      }
    }
    return inside / (float) (SUB * SUB);
  }

  private void blend(Anatomy.Layer layer, int i0, int i1, int j0, int j1) {
    float w = (float) (layer.tissue().water() * layer.density());
    float bn = (float) (layer.tissue().bone() * layer.density());
    byte id = (byte) layer.tissue().ordinal();
    for (int j = j0; j <= j1; j++) {
      for (int i = i0; i <= i1; i++) {
        int c = j * nx + i;
        float f = coverage[c];
        if (f > 0) {
          water[c] += f * (w - water[c]);
          bone[c] += f * (bn - bone[c]);
          if (f >= 0.5f) {
            label[c] = id;
          }
        }
      }
    }
  }

  private void texture(ValueNoise noise, double z) {
    for (int j = 0; j < ny; j++) {
      double y = y0 + j * step;
      for (int i = 0; i < nx; i++) {
        int c = j * nx + i;
        Tissue t = TISSUES[label[c]];
        if (t.textureAmplitude() > 0) {
          double f = 1 + t.textureAmplitude() * noise.sample(x0 + i * step, y, z, t.textureScaleMm());
          water[c] *= (float) f;
          bone[c] *= (float) f;
        }
      }
    }
  }
}
