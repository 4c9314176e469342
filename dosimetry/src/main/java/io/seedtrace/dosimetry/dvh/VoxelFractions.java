package io.seedtrace.dosimetry.dvh;

import io.seedtrace.dosimetry.DoseGrid;
import java.util.Arrays;
import java.util.List;

/**
 * The part of each voxel of a {@link DoseGrid} that lies inside a {@link Structure}: a fraction in
 * (0, 1] per voxel, kept only for the voxels the structure touches (sparse).
 *
 * <p>Rasterisation with partial voxels: each contoured slice stands for a slab in z (see {@link
 * Structure}); the part of a voxel layer that the slab covers is exact. In the slice plane, each grid
 * row is cut by {@code subRows} scan lines; along each line the intervals inside the contours
 * (even-odd rule) are exact, and each voxel gets the length of the intervals that fall in it. The
 * in-plane fraction is therefore exact in x and sampled in y (1/8 voxel by default). Parts of the
 * structure outside the grid are left out ({@link #clipped()} says so).
 *
 * <pre>{@code
 * VoxelFractions prostate = VoxelFractions.of(structure, grid);
 * double cc = prostate.volumeCc();
 * }</pre>
 */
public final class VoxelFractions {

  /** Scan lines per voxel row by default. */
  public static final int DEFAULT_SUB_ROWS = 8;

  private final int[] indices;
  private final float[] fractions;
  private final double voxelVolumeCc;
  private final boolean clipped;

  private VoxelFractions(int[] indices, float[] fractions, double voxelVolumeCc, boolean clipped) {
    this.indices = indices;
    this.fractions = fractions;
    this.voxelVolumeCc = voxelVolumeCc;
    this.clipped = clipped;
  }

  /** Rasterises {@code structure} on the geometry of {@code grid} with {@link #DEFAULT_SUB_ROWS}. */
  public static VoxelFractions of(Structure structure, DoseGrid grid) {
    return of(structure, grid, DEFAULT_SUB_ROWS);
  }

  /** Rasterises {@code structure} on the geometry of {@code grid} with {@code subRows} scan lines per row. */
  public static VoxelFractions of(Structure structure, DoseGrid grid, int subRows) {
    if (subRows < 1 || subRows > 64) {
      throw new IllegalArgumentException("sub-rows must be 1-64, got " + subRows);
    }
    double h = grid.spacingMm();
    int nx = grid.nx();
    int ny = grid.ny();
    int nz = grid.nz();
    float[] dense = new float[nx * ny * nz];
    double[] z = structure.sliceZ();
    double end = structure.sliceSpacingMm() / 2;
    float[] area = new float[nx * ny];
    double z0 = grid.originMm().z() - h / 2;
    for (int s = 0; s < z.length; s++) {
      double low = s == 0 ? z[s] - end : (z[s - 1] + z[s]) / 2;
      double high = s == z.length - 1 ? z[s] + end : (z[s] + z[s + 1]) / 2;
      int kFrom = Math.max(0, (int) Math.floor((low - z0) / h));
      int kTo = Math.min(nz - 1, (int) Math.floor((high - z0) / h));
      if (kFrom > kTo) {
        continue;
      }
      Arrays.fill(area, 0f);
      sliceAreas(structure.onSlice(z[s]), grid, subRows, area);
      for (int k = kFrom; k <= kTo; k++) {
        double layerLow = z0 + k * h;
        double overlap = (Math.min(high, layerLow + h) - Math.max(low, layerLow)) / h;
        if (overlap <= 0) {
          continue;
        }
        int base = k * nx * ny;
        for (int p = 0; p < area.length; p++) {
          if (area[p] != 0f) {
            dense[base + p] += (float) (overlap * area[p]);
          }
        }
      }
    }
    return compact(dense, h * h * h / 1000, isClipped(structure.bounds(), grid));
  }

  /** Adds to {@code area} (one slice, x fastest) the in-plane fraction of each voxel inside {@code contours}. */
  private static void sliceAreas(List<Contour> contours, DoseGrid grid, int subRows, float[] area) {
    double h = grid.spacingMm();
    double x0 = grid.originMm().x() - h / 2;
    double y0 = grid.originMm().y() - h / 2;
    int nx = grid.nx();
    double[] crossings = new double[contours.stream().mapToInt(Contour::size).sum()];
    float weight = (float) (1.0 / subRows);
    for (int j = 0; j < grid.ny(); j++) {
      for (int m = 0; m < subRows; m++) {
        double y = y0 + (j + (m + 0.5) / subRows) * h;
        int n = crossings(contours, y, crossings);
        Arrays.sort(crossings, 0, n);
        for (int c = 0; c + 1 < n; c += 2) {
          addInterval((crossings[c] - x0) / h, (crossings[c + 1] - x0) / h, nx, area, j * nx, weight);
        }
      }
    }
  }

  /** The x where the contours' edges cross the line at {@code y}; returns how many. */
  private static int crossings(List<Contour> contours, double y, double[] out) {
    int n = 0;
    for (Contour contour : contours) {
      double[] v = contour.vertices();
      int count = v.length / 2;
      for (int a = 0, b = count - 1; a < count; b = a++) {
        double ya = v[2 * a + 1];
        double yb = v[2 * b + 1];
        if ((ya <= y) != (yb <= y)) {
          double t = (y - ya) / (yb - ya);
          out[n++] = v[2 * a] + t * (v[2 * b] - v[2 * a]);
        }
      }
    }
    return n;
  }

  /** Adds the covered length of [from, to] (in voxel units from the grid's edge) to each voxel of a row. */
  private static void addInterval(double from, double to, int nx, float[] area, int row, float weight) {
    double a = Math.max(0, from);
    double b = Math.min(nx, to);
    if (b <= a) {
      return;
    }
    int first = (int) a;
    int last = Math.min(nx - 1, (int) Math.ceil(b) - 1);
    for (int i = first; i <= last; i++) {
      double covered = Math.min(b, i + 1) - Math.max(a, i);
      if (covered > 0) {
        area[row + i] += (float) (covered * weight);
      }
    }
  }

  private static boolean isClipped(double[] b, DoseGrid grid) {
    double h = grid.spacingMm();
    double[] o = {grid.originMm().x() - h / 2, grid.originMm().y() - h / 2, grid.originMm().z() - h / 2};
    int[] n = {grid.nx(), grid.ny(), grid.nz()};
    for (int d = 0; d < 3; d++) {
      if (b[d] < o[d] - 1e-9 || b[d + 3] > o[d] + n[d] * h + 1e-9) {
        return true;
      }
    }
    return false;
  }

  private static VoxelFractions compact(float[] dense, double voxelVolumeCc, boolean clipped) {
    int count = 0;
    for (float f : dense) {
      if (f > 0f) {
        count++;
      }
    }
    int[] indices = new int[count];
    float[] fractions = new float[count];
    int at = 0;
    for (int p = 0; p < dense.length; p++) {
      if (dense[p] > 0f) {
        indices[at] = p;
        fractions[at++] = Math.min(1f, dense[p]);
      }
    }
    return new VoxelFractions(indices, fractions, voxelVolumeCc, clipped);
  }

  /** Number of voxels the structure touches. */
  public int voxelCount() {
    return indices.length;
  }

  /** Grid index (x fastest) of the n-th touched voxel. */
  public int index(int n) {
    return indices[n];
  }

  /** Fraction of the n-th touched voxel inside the structure. */
  public float fraction(int n) {
    return fractions[n];
  }

  /** Fraction of the voxel at grid index {@code index}, 0 when outside. */
  public float fractionAt(int index) {
    int at = Arrays.binarySearch(indices, index);
    return at >= 0 ? fractions[at] : 0f;
  }

  /** Volume of one voxel, cm^3. */
  public double voxelVolumeCc() {
    return voxelVolumeCc;
  }

  /** The structure's volume inside the grid, cm^3. */
  public double volumeCc() {
    double sum = 0;
    for (float f : fractions) {
      sum += f;
    }
    return sum * voxelVolumeCc;
  }

  /** True when part of the structure lies outside the grid and is not counted. */
  public boolean clipped() {
    return clipped;
  }
}
