package io.seedtrace.detection.phantom.scanned;

/**
 * The scanner's water beam-hardening correction.
 *
 * <p>With a polychromatic beam the measured log attenuation of water grows less than linearly with
 * path length, because the beam hardens as it goes. Every clinical scanner therefore maps each
 * measurement to the path length of water that would have given it, times the reference
 * attenuation of water, which makes water (and soft tissue) flat after reconstruction. Bone and
 * metal harden the beam more than the same attenuation of water would, so they remain
 * under-corrected: that residue is what produces dark streaks between dense objects.
 */
final class WaterCorrection {

  private static final double MAX_LENGTH_MM = 800;
  private static final double TABLE_STEP = 0.002;

  private final double[] lengthForP;
  private final double pMax;
  private final double tailSlope;
  private final double muRef;

  /** The correction for the beam of {@link Spectrum} (built once; the table is immutable). */
  static final WaterCorrection STANDARD = new WaterCorrection();

  private WaterCorrection() {
    muRef = Spectrum.referenceWaterMu();
    pMax = Spectrum.waterProjection(MAX_LENGTH_MM);
    tailSlope = Spectrum.WATER_MU[Spectrum.BINS - 1];
    int n = (int) Math.ceil(pMax / TABLE_STEP) + 2;
    lengthForP = new double[n];
    double length = 0;
    for (int k = 0; k < n; k++) {
      double p = k * TABLE_STEP;
      while (length < MAX_LENGTH_MM && Spectrum.waterProjection(length) < p) {
        length += 0.01;
      }
      lengthForP[k] = length;
    }
  }

  /** The corrected projection: water-equivalent path length times the reference attenuation. */
  double correct(double p) {
    if (p <= 0) {
      return p;
    }
    if (p >= pMax) {
      return muRef * (MAX_LENGTH_MM + (p - pMax) / tailSlope);
    }
    double f = p / TABLE_STEP;
    int k = (int) f;
    double t = f - k;
    return muRef * (lengthForP[k] + t * (lengthForP[k + 1] - lengthForP[k]));
  }
}
