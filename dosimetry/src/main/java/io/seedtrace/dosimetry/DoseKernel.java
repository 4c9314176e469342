package io.seedtrace.dosimetry;

/**
 * One seed model's dose rate per unit S_K tabulated in the seed's own cylindrical coordinates for fast
 * grid sums: rows of distance from the axis (rho), columns of |distance along the axis| (z), both in
 * mm at {@link #STEP_MM}, up to the cut-off radius. The table holds D * max(r, r_min)^2, which is
 * smooth; {@link GridDoseCalculator} interpolates it bilinearly and divides by max(r, r_min)^2.
 */
final class DoseKernel {

  static final double STEP_MM = 0.5;

  private final int size;
  private final float[] table;
  private final double minRadiusMm;

  private DoseKernel(int size, float[] table, double minRadiusMm) {
    this.size = size;
    this.table = table;
    this.minRadiusMm = minRadiusMm;
  }

  /** Kernel of the 2-D line-source formalism (seed axis known). */
  static DoseKernel lineSource(SeedModel model, double cutoffMm) {
    int size = (int) Math.ceil(cutoffMm / STEP_MM) + 2;
    double minMm = model.minRadiusCm() * 10;
    float[] table = new float[size * size];
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        double rho = a * STEP_MM;
        double z = b * STEP_MM;
        double r = Math.max(Math.hypot(rho, z), minMm);
        double theta = Math.atan2(rho, z);
        table[a * size + b] = (float) (model.doseRatePerSk(r / 10, theta) * r * r);
      }
    }
    return new DoseKernel(size, table, minMm);
  }

  /** Kernel of the 1-D point-source approximation (seed axis unknown); depends on r only. */
  static DoseKernel pointSource(SeedModel model, double cutoffMm) {
    int size = (int) Math.ceil(cutoffMm / STEP_MM) + 2;
    double minMm = model.minRadiusCm() * 10;
    int radialSteps = (int) Math.ceil(size * Math.sqrt(2)) + 2;
    double[] radial = new double[radialSteps];
    for (int k = 0; k < radialSteps; k++) {
      double r = Math.max(k * STEP_MM, minMm);
      radial[k] = model.pointSourceDoseRatePerSk(r / 10) * r * r;
    }
    float[] table = new float[size * size];
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        double u = Math.hypot(a, b);
        int k = (int) u;
        table[a * size + b] = (float) (radial[k] + (u - k) * (radial[k + 1] - radial[k]));
      }
    }
    return new DoseKernel(size, table, minMm);
  }

  /** The table, rows of rho, {@link #size()} columns of |z|; read-only for callers. */
  float[] table() {
    return table;
  }

  int size() {
    return size;
  }

  double minRadiusMm() {
    return minRadiusMm;
  }
}
