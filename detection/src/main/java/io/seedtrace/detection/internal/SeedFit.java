package io.seedtrace.detection.internal;

import java.util.List;

/**
 * Fits n copies of the scan's own single seed to an object's voxels by least squares. One seed is
 * a rod of the seeds' length along its axis, blurred as the scan blurs (both learnt from the scan's
 * isolated single seeds), holding the calibrated single seed's mass: its contrast at a point is that
 * mass times the blurred rod's density there. n seeds predict the sum of n such rods; their scale
 * (one factor for all, as beam hardening dims seeds side by side together) is solved in closed form.
 * Each seed's centre and axis then move, a few coordinate steps, to the voxels it explains best.
 *
 * <p>What is left unexplained (the residual sum of squares) tells how many seeds the object holds:
 * a lone seed beside a vessel or a streak gains mass but no second rod's shape, and a cluster read
 * as one seed too many gains little from the extra rod. Bounded: at most {@value #MAX_POINTS}
 * voxels (the brightest), {@value #ITERATIONS} steps, so O(points x n x steps).
 */
public final class SeedFit {

  static final boolean SQUARED = Boolean.getBoolean("seedfit.squared");
  static final boolean AXES = !Boolean.getBoolean("seedfit.fixaxes");
  static final int MAX_POINTS = 2500;
  static final int ITERATIONS = 8;
  /** The common scale of the n seeds' mass stays within these bounds of the single seed's. */
  static final double LEAST_SCALE = Double.parseDouble(System.getProperty("seedfit.least", "0.6"));
  static final double MOST_SCALE = Double.parseDouble(System.getProperty("seedfit.most", "1.5"));

  private final double mass;
  private final double length;
  private final double varianceXy;
  private final double varianceZ;

  /**
   * @param singleMassHuMm3 one seed's integrated contrast on this scan
   * @param seedLengthMm the seeds' length
   * @param blur the scan's blur, learnt from its single seeds
   */
  public SeedFit(double singleMassHuMm3, double seedLengthMm, PointSpread blur, double sliceMm) {
    this(singleMassHuMm3, seedLengthMm, Math.max(0.05, blur.varianceXy),
        Math.max(sliceMm * sliceMm / 12, blur.varianceZ));
  }

  private SeedFit(double mass, double length, double varianceXy, double varianceZ) {
    this.mass = mass;
    this.length = length;
    this.varianceXy = varianceXy;
    this.varianceZ = varianceZ;
  }

  /** Blur widths (as multiples of the learnt variance, in the slice plane and along the slice axis) tried when learning the single seed's look. */
  private static final double[] WIDENINGS = {1, 1.6, 2.5, 4};
  /** Steps of each single seed's fit while learning its look. */
  private static final int LEARNING_STEPS = 3;

  /**
   * The single seed's look learnt from isolated single seeds of the scan (points, contrasts,
   * centre, axis of each): the blur their moments give is measured on their bright voxels only and
   * comes out narrower than the faint voxels show, so the widening of it that leaves the least
   * unexplained over all of them is taken.
   */
  public SeedFit learnt(List<double[][]> points, List<double[]> contrasts, List<double[]> centres, List<double[]> axes) {
    if (points.isEmpty()) {
      return this;
    }
    SeedFit best = this;
    double least = Double.POSITIVE_INFINITY;
    for (int look = 0; look < WIDENINGS.length * WIDENINGS.length; look++) {
      SeedFit wider = new SeedFit(mass, length, WIDENINGS[look % WIDENINGS.length] * varianceXy,
          WIDENINGS[look / WIDENINGS.length] * varianceZ);
      double sum = 0;
      for (int s = 0; s < points.size(); s++) {
        sum += wider.fit(points.get(s), contrasts.get(s), new double[][] {centres.get(s)}, new double[][] {axes.get(s)},
            LEARNING_STEPS).unexplained();
      }
      if (sum < least) {
        least = sum;
        best = wider;
      }
    }
    return best;
  }

  /** The blur variances of this look (mm2: in the slice plane, along the slice axis). */
  public double[] variances() {
    return new double[] {varianceXy, varianceZ};
  }

  /** The n seeds as fitted: centres and unit axes (mm), the residual, and the share left unexplained. */
  public record Result(double[][] centres, double[][] axes, double residual, double unexplained) {}

  /**
   * Fits {@code start.length} seeds starting from the given centres and axes (mm, the object's
   * frame); neither array is changed.
   */
  public Result fit(double[][] points, double[] contrasts, double[][] start, double[][] startAxes) {
    return fit(points, contrasts, start, startAxes, ITERATIONS);
  }

  private Result fit(double[][] points, double[] contrasts, double[][] start, double[][] startAxes, int steps) {
    int n = start.length;
    int[] kept = strongest(contrasts, MAX_POINTS);
    double[][] c = new double[n][];
    double[][] a = new double[n][];
    for (int s = 0; s < n; s++) {
      c[s] = start[s].clone();
      a[s] = unit(startAxes[s]);
    }
    double[][] g = new double[n][kept.length];
    for (int iter = 0; iter < steps; iter++) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      densities(points, kept, c, a, g);
      step(points, contrasts, kept, g, c, a);
    }
    densities(points, kept, c, a, g);
    return residual(contrasts, kept, g, c, a);
  }

  /** Each seed's predicted contrast at each kept point, for the mass of one seed. */
  private void densities(double[][] points, int[] kept, double[][] c, double[][] a, double[][] g) {
    for (int s = 0; s < c.length; s++) {
      double along = varianceXy * (a[s][0] * a[s][0] + a[s][1] * a[s][1]) + varianceZ * a[s][2] * a[s][2];
      double sa = Math.sqrt(along);
      // the blur across the axis: in the slice plane varianceXy, out of it a share of varianceZ
      double across = varianceXy * (1 - a[s][2] * a[s][2]) + varianceZ * a[s][2] * a[s][2];
      double norm = mass / (length * 2 * Math.PI * Math.sqrt(varianceXy * Math.max(0.05, across)));
      for (int q = 0; q < kept.length; q++) {
        double[] p = points[kept[q]];
        double dx = p[0] - c[s][0];
        double dy = p[1] - c[s][1];
        double dz = p[2] - c[s][2];
        double t = dx * a[s][0] + dy * a[s][1] + dz * a[s][2];
        double rx = dx - t * a[s][0];
        double ry = dy - t * a[s][1];
        double rz = dz - t * a[s][2];
        double q2 = (rx * rx + ry * ry) / varianceXy + rz * rz / varianceZ;
        if (q2 > 40) {
          g[s][q] = 0;
          continue;
        }
        double rod = phi((t + length / 2) / sa) - phi((t - length / 2) / sa);
        g[s][q] = norm * rod * Math.exp(-0.5 * q2);
      }
    }
  }

  /**
   * One coordinate step: each point's contrast shared among the seeds as each predicts it; each
   * seed's centre moves to the mean of its share, its axis to its share's principal direction.
   */
  private void step(double[][] points, double[] contrasts, int[] kept, double[][] g, double[][] c, double[][] a) {
    int n = c.length;
    double[] total = new double[kept.length];
    for (double[] seed : g) {
      for (int q = 0; q < kept.length; q++) {
        total[q] += seed[q];
      }
    }
    for (int s = 0; s < n; s++) {
      double w = 0;
      double[] m = new double[3];
      double[][] cov = new double[3][3];
      for (int q = 0; q < kept.length; q++) {
        if (total[q] <= 0 || g[s][q] <= 0) {
          continue;
        }
        double f = Math.max(0, contrasts[kept[q]]);
        double share = (SQUARED ? f * f : f) * g[s][q] / total[q];
        double[] p = points[kept[q]];
        w += share;
        for (int i = 0; i < 3; i++) {
          m[i] += share * p[i];
          for (int j = i; j < 3; j++) {
            cov[i][j] += share * p[i] * p[j];
          }
        }
      }
      if (w <= 0) {
        continue;
      }
      for (int i = 0; i < 3; i++) {
        m[i] /= w;
      }
      for (int i = 0; i < 3; i++) {
        for (int j = i; j < 3; j++) {
          cov[i][j] = cov[i][j] / w - m[i] * m[j];
          cov[j][i] = cov[i][j];
        }
      }
      cov[0][0] -= varianceXy;
      cov[1][1] -= varianceXy;
      cov[2][2] -= varianceZ;
      c[s] = m;
      double[] axis = new SymmetricEigen(cov).vectors[0];
      if (axis[0] * a[s][0] + axis[1] * a[s][1] + axis[2] * a[s][2] < 0) {
        axis = new double[] {-axis[0], -axis[1], -axis[2]};
      }
      if (AXES) {
        a[s] = unit(axis);
      }
    }
  }

  private Result residual(double[] contrasts, int[] kept, double[][] g, double[][] c, double[][] a) {
    double fg = 0;
    double gg = 0;
    double ff = 0;
    double[] model = new double[kept.length];
    for (int q = 0; q < kept.length; q++) {
      for (double[] seed : g) {
        model[q] += seed[q];
      }
      double f = contrasts[kept[q]];
      fg += f * model[q];
      gg += model[q] * model[q];
      ff += f * f;
    }
    double scale = gg > 0 ? Math.max(LEAST_SCALE, Math.min(MOST_SCALE, fg / gg)) : 1;
    double rss = 0;
    for (int q = 0; q < kept.length; q++) {
      double e = contrasts[kept[q]] - scale * model[q];
      rss += e * e;
    }
    return new Result(c, a, rss, ff > 0 ? rss / ff : 1);
  }

  /** Standard normal distribution function (erf by Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
  static double phi(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
        * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }

  private static double[] unit(double[] v) {
    double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return norm > 0 ? new double[] {v[0] / norm, v[1] / norm, v[2] / norm} : new double[] {0, 0, 1};
  }

  /** Indices of the {@code limit} largest values (all when fewer). */
  private static int[] strongest(double[] values, int limit) {
    if (values.length <= limit) {
      return java.util.stream.IntStream.range(0, values.length).toArray();
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double threshold = sorted[sorted.length - limit];
    int[] kept = new int[limit];
    int n = 0;
    for (int p = 0; p < values.length && n < limit; p++) {
      if (values[p] >= threshold) {
        kept[n++] = p;
      }
    }
    return java.util.Arrays.copyOf(kept, n);
  }
}
