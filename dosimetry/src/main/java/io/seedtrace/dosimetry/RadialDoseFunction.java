package io.seedtrace.dosimetry;

/**
 * Tabulated radial dose function g_L(r): log-linear interpolation between table points (ln g linear in
 * r); below the first radius the first value is used; beyond the last radius ln g is extrapolated
 * linearly from the last two points (instead of TG-43U1's fit to the tail).
 */
public final class RadialDoseFunction {

  private final double[] radii;
  private final double[] logValues;
  private final double[] values;

  public RadialDoseFunction(double[] radiiCm, double[] values) {
    Tables.requireAscending("g_L radii", radiiCm);
    if (radiiCm.length != values.length || radiiCm.length < 2) {
      throw new IllegalArgumentException("g_L needs >= 2 radii and one value per radius, got "
          + radiiCm.length + " radii and " + values.length + " values");
    }
    this.radii = radiiCm.clone();
    this.values = values.clone();
    this.logValues = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] > 0)) {
        throw new IllegalArgumentException("g_L values must be positive, got " + values[i]);
      }
      logValues[i] = Math.log(values[i]);
    }
  }

  /** g_L(r), r in cm. */
  public double value(double rCm) {
    int n = radii.length;
    if (rCm <= radii[0]) {
      return values[0];
    }
    int i = rCm >= radii[n - 1] ? n - 2 : Tables.lowerIndex(radii, rCm);
    double t = (rCm - radii[i]) / (radii[i + 1] - radii[i]);
    return Math.exp(logValues[i] + t * (logValues[i + 1] - logValues[i]));
  }

  public double[] radii() {
    return radii.clone();
  }

  public double[] values() {
    return values.clone();
  }
}
