package io.seedtrace.detection.phantom.scanned;

/**
 * The convolution kernel of filtered back-projection, as a window on the ramp filter.
 *
 * <p>Back-projecting raw projections blurs every point into a 1/r halo; the ramp filter |f| undoes
 * that exactly but amplifies high spatial frequencies, where quantum noise lives. A window that
 * rolls the ramp off towards the detector's Nyquist frequency trades resolution for noise: soft
 * kernels give smooth soft tissue and blurred metal, sharp kernels give crisp edges and grainy noise.
 */
public enum ReconKernel {
  /** Ram-Lak ramp times a Hann window reaching zero at Nyquist: soft-tissue kernel. */
  SOFT,
  /** Shepp-Logan (ramp times a sinc): standard body kernel. */
  STANDARD,
  /** Unwindowed Ram-Lak ramp: sharp bone/lung kernel. */
  SHARP;

  /** Window gain at a frequency given as a fraction of Nyquist (0 to 1). */
  double window(double fractionOfNyquist) {
    double f = Math.min(1, Math.abs(fractionOfNyquist));
    switch (this) {
      case SOFT:
        return 0.5 * (1 + Math.cos(Math.PI * f));
      case STANDARD:
        double x = Math.PI * f / 2;
        return x == 0 ? 1 : Math.sin(x) / x;
      default:
        return 1;
    }
  }
}
