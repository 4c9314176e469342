package io.seedtrace.detection.fusion;

import io.seedtrace.detection.CtScan;

/**
 * One resolution level of a volume: the voxels averaged over blocks of {@code fi x fj x fk}, with the
 * geometry of the block centres, and trilinear interpolation at patient coordinates. At factor
 * 1 x 1 x 1 the volume's own array is used, so the finest level costs no memory.
 */
final class LevelGrid {

  final int nx;
  final int ny;
  final int nz;
  final double dx;
  final double dy;
  final double dz;
  private final double[] origin;
  private final double[] row;
  private final double[] column;
  private final double[] slice;
  final short[] values;

  private LevelGrid(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin, double[] row,
      double[] column, double[] slice, short[] values) {
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.dx = dx;
    this.dy = dy;
    this.dz = dz;
    this.origin = origin;
    this.row = row;
    this.column = column;
    this.slice = slice;
    this.values = values;
  }

  /** The level of {@code scan} whose voxel size is about {@code spacingMm} on each axis (never finer than the scan's). */
  static LevelGrid of(CtScan scan, double spacingMm) {
    int fi = factor(scan.dx(), spacingMm, scan.nx());
    int fj = factor(scan.dy(), spacingMm, scan.ny());
    int fk = factor(scan.dz(), spacingMm, scan.nz());
    double[] origin = scan.toPatient((fi - 1) / 2.0, (fj - 1) / 2.0, (fk - 1) / 2.0);
    if (fi == 1 && fj == 1 && fk == 1) {
      return new LevelGrid(scan.nx(), scan.ny(), scan.nz(), scan.dx(), scan.dy(), scan.dz(), origin, scan.row(),
          scan.column(), scan.slice(), scan.hu());
    }
    int nx = scan.nx() / fi;
    int ny = scan.ny() / fj;
    int nz = scan.nz() / fk;
    short[] out = new short[nx * ny * nz];
    short[] in = scan.hu();
    int count = fi * fj * fk;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          long sum = 0;
          for (int c = 0; c < fk; c++) {
            for (int b = 0; b < fj; b++) {
              int base = i * fi + scan.nx() * (j * fj + b + scan.ny() * (k * fk + c));
              for (int a = 0; a < fi; a++) {
                sum += in[base + a];
              }
            }
          }
          out[i + nx * (j + ny * k)] = (short) Math.round((double) sum / count);
        }
      }
    }
    return new LevelGrid(nx, ny, nz, scan.dx() * fi, scan.dy() * fj, scan.dz() * fk, origin, scan.row(),
        scan.column(), scan.slice(), out);
  }

  private static int factor(double spacing, double target, int n) {
    return (int) Math.max(1, Math.min(Math.round(target / spacing), Math.max(1, n / 4)));
  }

  int size() {
    return values.length;
  }

  /** Patient coordinates (mm) of voxel {@code index}, written into {@code out} at {@code at}. */
  void position(int index, double[] out, int at) {
    int i = index % nx;
    int j = (index / nx) % ny;
    int k = index / (nx * ny);
    for (int a = 0; a < 3; a++) {
      out[at + a] = origin[a] + i * dx * row[a] + j * dy * column[a] + k * dz * slice[a];
    }
  }

  /**
   * The trilinearly interpolated value at patient point (x, y, z), or {@code NaN} outside the grid
   * (voxel centres span it; directions are orthonormal as DICOM requires).
   */
  double sample(double x, double y, double z) {
    double px = x - origin[0];
    double py = y - origin[1];
    double pz = z - origin[2];
    double fi = (px * row[0] + py * row[1] + pz * row[2]) / dx;
    double fj = (px * column[0] + py * column[1] + pz * column[2]) / dy;
    double fk = (px * slice[0] + py * slice[1] + pz * slice[2]) / dz;
    if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi <= nx - 1 && fj <= ny - 1 && fk <= nz - 1)) {
      return Double.NaN;
    }
    int i = Math.min((int) fi, Math.max(0, nx - 2));
    int j = Math.min((int) fj, Math.max(0, ny - 2));
    int k = Math.min((int) fk, Math.max(0, nz - 2));
    double u = fi - i;
    double v = fj - j;
    double w = fk - k;
    int si = nx > 1 ? 1 : 0;
    int sj = ny > 1 ? nx : 0;
    int sk = nz > 1 ? nx * ny : 0;
    int c = i + nx * (j + ny * k);
    double c00 = values[c] + u * (values[c + si] - values[c]);
    double c10 = values[c + sj] + u * (values[c + sj + si] - values[c + sj]);
    double c01 = values[c + sk] + u * (values[c + sk + si] - values[c + sk]);
    double c11 = values[c + sk + sj] + u * (values[c + sk + sj + si] - values[c + sk + sj]);
    double c0 = c00 + v * (c10 - c00);
    double c1 = c01 + v * (c11 - c01);
    return c0 + w * (c1 - c0);
  }

  /** The voxel-weighted centre (mm) of the voxels at or above {@code threshold}; the grid centre if none. */
  double[] centreAbove(double threshold) {
    double[] sum = new double[3];
    double[] p = new double[3];
    long n = 0;
    for (int index = 0; index < values.length; index++) {
      if (values[index] >= threshold) {
        position(index, p, 0);
        sum[0] += p[0];
        sum[1] += p[1];
        sum[2] += p[2];
        n++;
      }
    }
    if (n == 0) {
      position(nx / 2 + nx * (ny / 2 + ny * (nz / 2)), p, 0);
      return p;
    }
    return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
  }
}
