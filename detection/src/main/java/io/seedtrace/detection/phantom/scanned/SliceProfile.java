package io.seedtrace.detection.phantom.scanned;

/**
 * The slice sensitivity profile: how much each depth along z contributes to a reconstructed slice.
 *
 * <p>The detector row's aperture and the focal spot's penumbra give a profile that is flat in the
 * middle with soft shoulders: here a rectangle of the nominal thickness smoothed by a Gaussian of
 * 0.15 thickness, so the full width at half maximum is the nominal thickness and tails reach a bit
 * beyond it. The profile is sampled at thin sub-slice planes (at most 0.2 mm apart); the detector
 * averages the transmitted intensity of all of them, which is what makes a seed lying partly in a
 * slice appear dimmer and wider than a seed lying fully in it.
 */
final class SliceProfile {

  final double[] offsets;
  final double[] weights;

  SliceProfile(double thicknessMm) {
    double sigma = 0.15 * thicknessMm;
    double half = thicknessMm / 2 + 2.5 * sigma;
    int n = Math.max(5, (int) Math.ceil(2 * half / Math.min(0.2, thicknessMm / 6)) | 1);
    offsets = new double[n];
    weights = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      double z = -half + 2 * half * k / (n - 1);
      offsets[k] = z;
      weights[k] = phi((z + thicknessMm / 2) / sigma) - phi((z - thicknessMm / 2) / sigma);
      sum += weights[k];
    }
    for (int k = 0; k < n; k++) {
      weights[k] /= sum;
    }
  }

  /** Standard normal cumulative distribution (Abramowitz-Stegun 7.1.26 for erf). */
  private static double phi(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
        + t * 1.061405429))));
    double erf = 1 - poly * Math.exp(-x * x / 2);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
