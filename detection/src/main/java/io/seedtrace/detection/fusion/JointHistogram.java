package io.seedtrace.detection.fusion;

import java.util.Arrays;

/**
 * The joint histogram of CT and MR intensities at the sample points, and the normalised mutual
 * information {@code (H(ct) + H(mr)) / H(ct, mr)} computed from it (Studholme): 1 when the two are
 * independent, up to 2 when one determines the other, whatever the mapping between them (fat bright
 * on MR and dark on CT is as informative as bone bright on both). The normalised form does not reward
 * a motion for merely changing how much of the two volumes overlaps.
 *
 * <p>Each sample spreads over the two nearest bins of each axis with linear weights (a first-order
 * B-spline Parzen window), so the measure changes smoothly with sub-voxel motion and the optimiser
 * is not trapped on the interpolation grid.
 */
final class JointHistogram {

  private final int bins;
  private final double[] counts;
  private final double[] ctMarginal;
  private final double[] mrMarginal;
  private final double mrLow;
  private final double mrScale;

  /**
   * @param mrLow the MR value mapped onto the first bin (lower values are clamped)
   * @param mrHigh the MR value mapped onto the last bin (higher values are clamped)
   */
  JointHistogram(int bins, double mrLow, double mrHigh) {
    this.bins = bins;
    this.counts = new double[bins * bins];
    this.ctMarginal = new double[bins];
    this.mrMarginal = new double[bins];
    this.mrLow = mrLow;
    this.mrScale = (bins - 1) / Math.max(1e-9, mrHigh - mrLow);
  }

  /** Fractional bin position (in [0, bins - 1]) of a value in a range. */
  static double binOf(double value, double low, double scale, int bins) {
    double b = (value - low) * scale;
    return b <= 0 ? 0 : Math.min(b, bins - 1);
  }

  void clear() {
    Arrays.fill(counts, 0);
  }

  /** Adds one sample: its CT bin position (precomputed) and its interpolated MR value. */
  void add(double ctBin, double mrValue) {
    double mb = binOf(mrValue, mrLow, mrScale, bins);
    int c = Math.min((int) ctBin, bins - 2);
    int m = Math.min((int) mb, bins - 2);
    double fc = ctBin - c;
    double fm = mb - m;
    int at = c * bins + m;
    counts[at] += (1 - fc) * (1 - fm);
    counts[at + 1] += (1 - fc) * fm;
    counts[at + bins] += fc * (1 - fm);
    counts[at + bins + 1] += fc * fm;
  }

  /** The normalised mutual information of what was added; 1 (no information) when nothing was. */
  double normalisedMutualInformation() {
    Arrays.fill(ctMarginal, 0);
    Arrays.fill(mrMarginal, 0);
    double total = 0;
    for (int c = 0; c < bins; c++) {
      for (int m = 0; m < bins; m++) {
        double v = counts[c * bins + m];
        ctMarginal[c] += v;
        mrMarginal[m] += v;
        total += v;
      }
    }
    if (total <= 0) {
      return 1;
    }
    double joint = entropy(counts, total);
    return joint <= 0 ? 1 : (entropy(ctMarginal, total) + entropy(mrMarginal, total)) / joint;
  }

  private static double entropy(double[] histogram, double total) {
    double h = 0;
    for (double v : histogram) {
      if (v > 0) {
        double p = v / total;
        h -= p * Math.log(p);
      }
    }
    return h;
  }
}
