package io.seedtrace.dosimetry;

/** Index helpers for the tabulated TG-43 functions. */
final class Tables {

  private Tables() {
  }

  static void requireAscending(String what, double[] xs) {
    if (xs.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (int i = 1; i < xs.length; i++) {
      if (!(xs[i] > xs[i - 1])) {
        throw new IllegalArgumentException(what + " must be strictly ascending, got " + xs[i - 1] + " then " + xs[i]);
      }
    }
  }

  /** Largest i with xs[i] <= x, for xs[0] <= x < xs[last]. */
  static int lowerIndex(double[] xs, double x) {
    int lo = 0;
    int hi = xs.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (xs[mid] <= x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Index of the interval [xs[i], xs[i+1]] holding x (x within the table); 0 for a one-point table. */
  static int segment(double[] xs, double x) {
    if (xs.length == 1) {
      return 0;
    }
    return x >= xs[xs.length - 1] ? xs.length - 2 : lowerIndex(xs, x);
  }
}
