package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/**
 * What the detector measures for one slice, from line integrals to corrected log projections.
 *
 * <p>Per ray and energy bin the primary beam is attenuated as {@code exp(-sum mu L)} along the
 * anatomy's water and bone paths and the metal paths. Because the slice has a thickness, the
 * detector averages the transmitted intensity over the sub-slice planes of the
 * {@link SliceProfile}; metal varies quickly in z, the anatomy is taken as the slab average. The
 * expected signal is then:
 * <ul>
 *   <li>scaled to photon counts (photons per mm of slice times slice thickness: thin slices are
 *       noisier), reduced off-centre by the bowtie filter, which spares the thin edges of the
 *       body (only its intensity profile is modelled, not the hardening it adds);</li>
 *   <li>joined by scatter: photons deflected in the patient arrive far from their line, modelled as
 *       the primary signal of the view blurred along the detector (a wide kernel) times a
 *       scatter-to-primary scale;</li>
 *   <li>made random: Poisson counting noise plus a little electronic noise. Behind metal only a
 *       few photons arrive, so the log of the count is very noisy there ("photon starvation");</li>
 *   <li>corrected as a scanner does: a scatter estimate from the measured counts is subtracted
 *       (removing most but not all of it), counts are floored at a small positive value, the log
 *       is taken and the water beam-hardening correction applied.</li>
 * </ul>
 */
final class ScannerAcquisition {

  private static final double ELECTRONIC_NOISE = 2.0;
  private static final double COUNT_FLOOR = 1.0;
  private static final double SCATTER_KERNEL_MM = 40;
  private static final double SCATTER_ESTIMATE = 0.85;
  private static final Metal[] METALS = Metal.values();
  private static final double BOWTIE_WIDTH_MM = 140;
  private static final double BOWTIE_FLOOR = 0.1;

  private final ParallelBeam beam;
  private final double[] photons;
  private final double scatterFraction;
  private final float[][] base = new float[Spectrum.BINS][];
  private final double[] transmission;
  private final double[] line;
  private final double[] blurred;

  ScannerAcquisition(ParallelBeam beam, double photonsPerRay, double scatterFraction) {
    this.beam = beam;
    this.photons = new double[beam.bins];
    for (int k = 0; k < beam.bins; k++) {
      double u = (beam.u0 + k * beam.du) / BOWTIE_WIDTH_MM;
      photons[k] = photonsPerRay * (BOWTIE_FLOOR + (1 - BOWTIE_FLOOR) * Math.exp(-u * u));
    }
    this.scatterFraction = scatterFraction;
    for (int e = 0; e < Spectrum.BINS; e++) {
      base[e] = new float[beam.rays()];
    }
    this.transmission = new double[beam.rays()];
    this.line = new double[beam.bins];
    this.blurred = new double[beam.bins];
  }

  /** Starts a slice: transmission through the anatomy alone (water and bone paths, mm). */
  void begin(float[] water, float[] bone) {
    for (int r = 0; r < transmission.length; r++) {
      double t = 0;
      for (int e = 0; e < Spectrum.BINS; e++) {
        float f = (float) Math.exp(-(Spectrum.WATER_MU[e] * water[r] + Spectrum.BONE_MU[e] * bone[r]));
        base[e][r] = f;
        t += Spectrum.signalWeight(e) * f;
      }
      transmission[r] = t;
    }
  }

  /**
   * Adds one sub-slice plane that contains metal, of profile weight {@code weight}: on the rays it
   * touches, that share of the intensity is replaced by the intensity also attenuated by the metal,
   * averaged over the sub-bins of each detector element.
   */
  void addMetalPlane(double weight, MetalSinogram metal) {
    double[] mu = new double[Spectrum.BINS];
    for (int v = 0; v < beam.views; v++) {
      for (int k = metal.lo[v]; k <= metal.hi[v]; k++) {
        int r = v * beam.bins + k;
        double change = 0;
        for (int q = 0; q < MetalSinogram.SUB_BINS; q++) {
          if (metalAttenuation(metal, r * MetalSinogram.SUB_BINS + q, mu)) {
            for (int e = 0; e < Spectrum.BINS; e++) {
              change += Spectrum.signalWeight(e) * base[e][r] * (Math.exp(-mu[e]) - 1);
            }
          }
        }
        transmission[r] += weight * change / MetalSinogram.SUB_BINS;
      }
    }
  }

  /** Metal attenuation per energy bin along sub-ray {@code s}; false if no metal lies on it. */
  private static boolean metalAttenuation(MetalSinogram metal, int s, double[] mu) {
    boolean any = false;
    java.util.Arrays.fill(mu, 0);
    for (int m = 0; m < METALS.length; m++) {
      float[] path = metal.get(m);
      if (path != null && path[s] > 0) {
        any = true;
        for (int e = 0; e < Spectrum.BINS; e++) {
          mu[e] += METALS[m].mu(e) * path[s];
        }
      }
    }
    return any;
  }

  /** Measures the slice: corrected log projections (dimensionless), one per ray, into {@code out}. */
  void measure(SplittableRandom random, float[] out) {
    WaterCorrection water = WaterCorrection.STANDARD;
    for (int v = 0; v < beam.views; v++) {
      int off = v * beam.bins;
      for (int k = 0; k < beam.bins; k++) {
        line[k] = photons[k] * Math.max(0, transmission[off + k]);
      }
      blur(line, blurred);
      for (int k = 0; k < beam.bins; k++) {
        double expected = line[k] + scatterFraction * blurred[k];
        line[k] = count(expected, random);
      }
      blur(line, blurred);
      for (int k = 0; k < beam.bins; k++) {
        double corrected = line[k] - SCATTER_ESTIMATE * scatterFraction * blurred[k];
        double p = Math.log(photons[k] / Math.max(COUNT_FLOOR, corrected));
        out[off + k] = (float) water.correct(p);
      }
    }
  }

  /** A Poisson count (normal approximation above 50 expected photons) plus electronic noise. */
  private static double count(double expected, SplittableRandom random) {
    double n;
    if (expected > 50) {
      n = expected + Math.sqrt(expected) * random.nextGaussian();
    } else {
      double limit = Math.exp(-expected);
      double prod = random.nextDouble();
      int k = 0;
      while (prod > limit) {
        prod *= random.nextDouble();
        k++;
      }
      n = k;
    }
    return n + ELECTRONIC_NOISE * random.nextGaussian();
  }

  /** Wide smoothing along the detector: three passes of a moving average (nearly Gaussian). */
  private void blur(double[] in, double[] out) {
    int radius = Math.max(1, (int) Math.round(SCATTER_KERNEL_MM / beam.du / 2));
    double[] tmp = in.clone();
    for (int pass = 0; pass < 3; pass++) {
      double sum = 0;
      int n = tmp.length;
      for (int k = -radius; k <= radius; k++) {
        sum += tmp[Math.max(0, Math.min(n - 1, k))];
      }
      for (int k = 0; k < n; k++) {
        out[k] = sum / (2 * radius + 1);
        sum += tmp[Math.min(n - 1, k + radius + 1)] - tmp[Math.max(0, k - radius)];
      }
      System.arraycopy(out, 0, tmp, 0, n);
    }
  }
}
