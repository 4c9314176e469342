package io.seedtrace.dosimetry;

/**
 * Tabulated 2-D anisotropy function F(r, theta): bilinear interpolation in r and theta; r outside the
 * table is clamped to the nearest tabulated radius (TG-43U1 recommends the nearest value there); theta
 * above 90 degrees is mirrored (the tables assume symmetry about the transverse plane).
 */
public final class AnisotropyFunction {

  private final double[] radii;
  private final double[] angles;
  private final double[][] values;

  /**
   * @param radiiCm tabulated radii, ascending
   * @param anglesDeg tabulated polar angles, ascending, degrees
   * @param values values[angle][radius]
   */
  public AnisotropyFunction(double[] radiiCm, double[] anglesDeg, double[][] values) {
    Tables.requireAscending("F radii", radiiCm);
    Tables.requireAscending("F angles", anglesDeg);
    if (anglesDeg.length < 2) {
      throw new IllegalArgumentException("F needs at least two angles");
    }
    if (values.length != anglesDeg.length) {
      throw new IllegalArgumentException("F needs one row per angle: " + anglesDeg.length + " angles, "
          + values.length + " rows");
    }
    for (double[] row : values) {
      if (row.length != radiiCm.length) {
        throw new IllegalArgumentException("F row has " + row.length + " values for " + radiiCm.length + " radii");
      }
    }
    this.radii = radiiCm.clone();
    this.angles = anglesDeg.clone();
    this.values = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      this.values[i] = values[i].clone();
    }
  }

  /** F(r, theta), r in cm, theta in degrees 0..180. */
  public double value(double rCm, double thetaDeg) {
    double theta = thetaDeg > 90 ? 180 - thetaDeg : thetaDeg;
    double r = Math.min(Math.max(rCm, radii[0]), radii[radii.length - 1]);
    theta = Math.min(Math.max(theta, angles[0]), angles[angles.length - 1]);
    int i = Tables.segment(radii, r);
    int j = Tables.segment(angles, theta);
    double tr = radii.length == 1 ? 0 : (r - radii[i]) / (radii[i + 1] - radii[i]);
    double ta = (theta - angles[j]) / (angles[j + 1] - angles[j]);
    double low = values[j][i] + tr * (radii.length == 1 ? 0 : values[j][i + 1] - values[j][i]);
    double high = values[j + 1][i] + tr * (radii.length == 1 ? 0 : values[j + 1][i + 1] - values[j + 1][i]);
    return low + ta * (high - low);
  }

  public double[] radii() {
    return radii.clone();
  }

  public double[] angles() {
    return angles.clone();
  }

  /** The tabulated value at angle index {@code a}, radius index {@code r}. */
  public double tabulated(int a, int r) {
    return values[a][r];
  }
}
