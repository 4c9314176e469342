package io.seedtrace.detection.fusion;

import java.util.function.ToDoubleFunction;

/**
 * Hooke-Jeeves pattern search, a derivative-free minimiser with a regular step: around the current
 * base it tries a step up and down along each parameter, keeping every improvement; after a success
 * it leaps again in the same direction (the pattern move, which follows a diagonal valley); after a
 * failure it halves the step, until the step is below its floor. Each parameter has its own unit
 * ({@code scales}), so that millimetres and degrees move the image comparably.
 */
final class PatternSearch {

  /** Thrown out of the objective when the caller's time budget is spent. */
  static final class OutOfTime extends RuntimeException {
    OutOfTime() {
      super(null, null, false, false);
    }
  }

  private final ToDoubleFunction<double[]> objective;
  private final double[] scales;
  private int evaluations;

  PatternSearch(ToDoubleFunction<double[]> objective, double[] scales) {
    this.objective = objective;
    this.scales = scales.clone();
  }

  int evaluations() {
    return evaluations;
  }

  /** The best point found from {@code start}, with steps going from {@code step} down to {@code minStep}. */
  double[] minimise(double[] start, double step, double minStep) {
    double[] base = start.clone();
    double fBase = value(base);
    while (step >= minStep) {
      double[] probe = base.clone();
      double fProbe = explore(probe, fBase, step);
      if (fProbe < fBase) {
        // pattern moves: keep leaping along base -> probe while the exploration around the leap improves
        while (true) {
          double[] leap = new double[base.length];
          for (int p = 0; p < leap.length; p++) {
            leap[p] = 2 * probe[p] - base[p];
          }
          base = probe;
          fBase = fProbe;
          double fLeap = explore(leap, value(leap), step);
          if (fLeap < fBase) {
            probe = leap;
            fProbe = fLeap;
          } else {
            break;
          }
        }
      } else {
        step /= 2;
      }
    }
    return base;
  }

  /** Tries +-step on each parameter of {@code x} in turn (changing it in place); returns the value there. */
  private double explore(double[] x, double fx, double step) {
    for (int p = 0; p < x.length; p++) {
      double keep = x[p];
      x[p] = keep + step * scales[p];
      double up = value(x);
      if (up < fx) {
        fx = up;
        continue;
      }
      x[p] = keep - step * scales[p];
      double down = value(x);
      if (down < fx) {
        fx = down;
        continue;
      }
      x[p] = keep;
    }
    return fx;
  }

  private double value(double[] x) {
    evaluations++;
    return objective.applyAsDouble(x);
  }
}
