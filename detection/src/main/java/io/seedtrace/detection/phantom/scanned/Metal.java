package io.seedtrace.detection.phantom.scanned;

/**
 * Dense elements of seeds, markers and clips, as linear attenuation per energy bin of
 * {@link Spectrum} (1/mm).
 *
 * <p>High-Z metals attenuate tens to hundreds of times more than water. Their attenuation has
 * absorption edges: just above the K-shell binding energy (tungsten 69.5 keV, gold 80.7 keV) it
 * jumps up, which is why tungsten is more opaque in the 75 keV bin than in the 60 keV bin. Values
 * are rounded mass attenuation coefficients times density.
 */
enum Metal {
  /** Titanium (4.51 g/cm3): seed capsules and surgical clips. */
  TITANIUM(4.51, 1.60, 0.766, 0.475, 0.298),
  /** Silver (10.49 g/cm3): the radio-opaque rod of 6711-type seeds. */
  SILVER(10.49, 12.3, 5.6, 3.05, 1.65),
  /** Gold (19.32 g/cm3): fiducial markers and seed marker beads; K edge between the 75 and 95 keV bins. */
  GOLD(19.32, 9.6, 4.6, 2.3, 5.3),
  /** Tungsten (19.25 g/cm3): marker wires; K edge between the 60 and 75 keV bins. */
  TUNGSTEN(19.25, 8.2, 3.7, 9.5, 5.1);

  private final double[] muPerMm;

  Metal(double densityGPerCm3, double... massAttenuationCm2PerG) {
    muPerMm = new double[Spectrum.BINS];
    for (int b = 0; b < Spectrum.BINS; b++) {
      muPerMm[b] = massAttenuationCm2PerG[b] * densityGPerCm3 * 0.1;
    }
  }

  /** Linear attenuation (1/mm) in an energy bin. */
  double mu(int bin) {
    return muPerMm[bin];
  }
}
