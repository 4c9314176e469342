package io.seedtrace.detection.internal;

/**
 * Splits a chain of seeds (end to end, or merged along a needle) into seeds along its axis:
 * deterministic one-dimensional mixture of equal components.
 */
public final class EqualMixture {

  /** The profile is binned into at most this many bins, however long the chain. */
  static final int MAX_BINS = 600;
  /** Up to this many components every one is tried on top of every other; beyond, on its neighbours. */
  static final int ALL_PAIRS = 6;
  private static final int MAX_ITERATIONS = 200;
  private static final int TRIAL_ITERATIONS = 60;

  private EqualMixture() {}

  /**
   * Positions along a line as a mixture of k equal components (every seed holds the same metal)
   * of a known spread (one seed's profile along the line): expectation-maximisation of the
   * component centres, started at the weighted quantiles (c + 0.5) / k. Two components may end on
   * the same place (seeds side by side within a chain). Returns each component's share of each
   * position, [component][position], components in order along the line.
   */
  public static double[][] of(double[] t, double[] weights, int k, double variance) {
    int n = t.length;
    Integer[] order = new Integer[n];
    double total = 0;
    for (int p = 0; p < n; p++) {
      order[p] = p;
      total += weights[p];
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
    Profile profile = binned(t, weights, order, binWidth(t, order, variance));
    double[] centres = quantileStarts(profile, k, total);
    double best = em(profile.bt(), profile.bw(), centres, variance, MAX_ITERATIONS);
    centres = tryComponentsOnOthers(profile, centres, variance, best);
    double[] sorted = centres.clone();
    java.util.Arrays.sort(sorted);
    double[][] share = new double[k][n];
    double[] like = new double[k];
    for (int p = 0; p < n; p++) {
      responsibilities(t[p], sorted, variance, like);
      for (int j = 0; j < k; j++) {
        share[j][p] = like[j];
      }
    }
    return share;
  }

  /** The weighted profile along the line: mean position {@code bt} and weight {@code bw} per bin. */
  private record Profile(double[] bt, double[] bw) {}

  /** Width of the profile's bins: far finer than a seed, at most {@value #MAX_BINS} over the chain. */
  private static double binWidth(double[] t, Integer[] order, double variance) {
    int n = t.length;
    // the fit runs on the weighted profile in bins far finer than a seed (thin slices give a chain
    // tens of thousands of voxels)
    double width = Math.min(0.05, Math.sqrt(variance) / 20);
    if (n > 0) {
      double span = t[order[n - 1]] - t[order[0]];
      width = Math.max(width, span / MAX_BINS);
    }
    return width;
  }

  /** The positions (visited in {@code order}) binned from each bin's first position on, {@code width} wide. */
  private static Profile binned(double[] t, double[] weights, Integer[] order, double width) {
    int n = t.length;
    double[] bt = new double[n];
    double[] bw = new double[n];
    int bins = 0;
    double binStart = Double.NaN;
    for (int q = 0; q < n; q++) {
      int p = order[q];
      if (bins == 0 || t[p] - binStart >= width) {
        binStart = t[p];
        bins++;
      }
      bt[bins - 1] += weights[p] * t[p];
      bw[bins - 1] += weights[p];
    }
    for (int b = 0; b < bins; b++) {
      bt[b] = bw[b] > 0 ? bt[b] / bw[b] : bt[b];
    }
    return new Profile(java.util.Arrays.copyOf(bt, bins), java.util.Arrays.copyOf(bw, bins));
  }

  /** The starting centres: the profile's weighted quantiles (c + 0.5) / k. */
  private static double[] quantileStarts(Profile profile, int k, double total) {
    double[] bt = profile.bt();
    double[] bw = profile.bw();
    int bins = bt.length;
    double[] centres = new double[k];
    double seen = 0;
    int c = 0;
    for (int b = 0; b < bins && c < k; b++) {
      seen += bw[b];
      while (c < k && seen >= (c + 0.5) / k * total) {
        centres[c++] = bt[b];
      }
    }
    return centres;
  }

  /**
   * The centres after trying each component moved onto another, keeping what explains the profile
   * better ({@code best}: the log-likelihood of the given centres).
   */
  private static double[] tryComponentsOnOthers(Profile profile, double[] centres, double variance, double best) {
    int k = centres.length;
    // EM stops at the nearest optimum: also try moving each component onto another one (a seed
    // beside another) and keep what explains the profile better. Every pair for short chains; for
    // longer ones only neighbours along the chain, for a few rounds, so the work stays
    // O(k^2 x bins) per round instead of O(k^3 x bins)
    boolean allPairs = k <= ALL_PAIRS;
    int rounds = allPairs ? k : 3;
    boolean improved = true;
    for (int round = 0; round < rounds && improved; round++) {
      improved = false;
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          if (a == b || !(allPairs || Math.abs(rank(centres, a) - rank(centres, b)) == 1)) {
            continue;
          }
          double[] trial = centres.clone();
          trial[a] = centres[b] + 0.1 * (a < b ? -1 : 1);
          double likelihood = em(profile.bt(), profile.bw(), trial, variance,
              allPairs ? MAX_ITERATIONS : TRIAL_ITERATIONS);
          if (likelihood > best + 1e-6 * Math.abs(best)) {
            best = likelihood;
            centres = trial;
            improved = true;
          }
        }
      }
    }
    return centres;
  }

  /**
   * The share of each of k equal Gaussians (the given centres, one variance) in a point at x,
   * into {@code out}; returns the log of the mixture's density there, up to a constant.
   */
  private static double responsibilities(double x, double[] centres, double variance, double[] out) {
    int k = centres.length;
    double top = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double d = x - centres[j];
      out[j] = -0.5 * d * d / variance;
      top = Math.max(top, out[j]);
    }
    double z = 0;
    for (int j = 0; j < k; j++) {
      out[j] = Math.exp(out[j] - top);
      z += out[j];
    }
    for (int j = 0; j < k; j++) {
      out[j] /= z;
    }
    return top + Math.log(z / k);
  }

  /** Position of centre a among the centres in order along the line. */
  private static int rank(double[] centres, int a) {
    int r = 0;
    for (int j = 0; j < centres.length; j++) {
      if (centres[j] < centres[a] || (centres[j] == centres[a] && j < a)) {
        r++;
      }
    }
    return r;
  }

  /** Runs EM from the given centres (updated in place), at most so many steps; returns the log-likelihood. */
  private static double em(double[] t, double[] weights, double[] centres, double variance, int iterations) {
    int n = t.length;
    int k = centres.length;
    double[] like = new double[k];
    double logLikelihood = Double.NEGATIVE_INFINITY;
    for (int iter = 0; iter < iterations; iter++) {
      double[] sum = new double[k];
      double[] sw = new double[k];
      logLikelihood = 0;
      for (int p = 0; p < n; p++) {
        logLikelihood += weights[p] * responsibilities(t[p], centres, variance, like);
        for (int j = 0; j < k; j++) {
          double share = like[j];
          sum[j] += weights[p] * share * t[p];
          sw[j] += weights[p] * share;
        }
      }
      double moved = 0;
      for (int j = 0; j < k; j++) {
        if (sw[j] > 0) {
          double next = sum[j] / sw[j];
          moved = Math.max(moved, Math.abs(next - centres[j]));
          centres[j] = next;
        }
      }
      if (moved < 1e-4) {
        break;
      }
    }
    return logLikelihood;
  }
}
