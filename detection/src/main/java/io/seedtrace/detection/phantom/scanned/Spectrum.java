package io.seedtrace.detection.phantom.scanned;

/**
 * The x-ray beam of a 120 kVp tube after its filtration, reduced to four energy bins.
 *
 * <p>A CT tube emits a broad bremsstrahlung spectrum. Low-energy photons are absorbed much more
 * strongly than high-energy ones (photo-electric absorption falls roughly as E^-3), so the mean
 * energy of the beam rises as it crosses the patient: the beam "hardens". Simulating the beam as a
 * few discrete energies is enough for this to appear by itself in the simulated scan: a thick or
 * dense path attenuates less per millimetre than a thin one, which after reconstruction gives
 * cupping in large objects and dark bands between dense objects.
 *
 * <p>The detector integrates energy, not photon number, so each bin's share of the detected signal
 * is its photon fraction times its energy. Attenuation coefficients of the two tissue basis
 * materials are given per millimetre: water, and ICRU cortical bone (density 1.92 g/cm3). Every
 * tissue is a mixture of the two (see {@link Tissue}); values are rounded from tabulated mass
 * attenuation data.
 */
final class Spectrum {

  /** Number of energy bins. */
  static final int BINS = 4;
  /** Bin energies (keV). */
  static final double[] KEV = {45, 60, 75, 95};
  /** Fraction of photons in each bin for the filtered 120 kVp beam. */
  private static final double[] PHOTON_FRACTION = {0.15, 0.33, 0.30, 0.22};
  /** Linear attenuation of water (1/mm) per bin. */
  static final double[] WATER_MU = {0.02445, 0.02059, 0.01890, 0.01735};
  /** Linear attenuation of cortical bone (1/mm) per bin. */
  static final double[] BONE_MU = {0.1008, 0.06044, 0.0458, 0.03696};

  private static final double[] SIGNAL_WEIGHT = signalWeights();

  private Spectrum() {}

  /** Share of the detected (energy-integrated) signal carried by a bin; the shares add to one. */
  static double signalWeight(int bin) {
    return SIGNAL_WEIGHT[bin];
  }

  /**
   * The attenuation of water the scanner calibrates to (1/mm): the signal-weighted mean over the
   * bins. After water beam-hardening correction water reconstructs to this value, which defines 0 HU.
   */
  static double referenceWaterMu() {
    double mu = 0;
    for (int b = 0; b < BINS; b++) {
      mu += SIGNAL_WEIGHT[b] * WATER_MU[b];
    }
    return mu;
  }

  /**
   * Polychromatic log attenuation of a water path of the given length (mm): what the scanner
   * measures, -ln of the signal-weighted transmission. Used to build the water correction.
   */
  static double waterProjection(double lengthMm) {
    double t = 0;
    for (int b = 0; b < BINS; b++) {
      t += SIGNAL_WEIGHT[b] * Math.exp(-WATER_MU[b] * lengthMm);
    }
    return -Math.log(t);
  }

  private static double[] signalWeights() {
    double[] w = new double[BINS];
    double sum = 0;
    for (int b = 0; b < BINS; b++) {
      w[b] = PHOTON_FRACTION[b] * KEV[b];
      sum += w[b];
    }
    for (int b = 0; b < BINS; b++) {
      w[b] /= sum;
    }
    return w;
  }
}
