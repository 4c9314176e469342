package io.seedtrace.detection.internal;

import java.util.List;

/**
 * What one seed looks like on this scan, measured rather than modelled: the contrast of the scan's
 * own isolated single seeds around their centres, in each seed's frame (distance along its axis,
 * across it along the slices, across it in the slice plane: the scan blurs these differently),
 * averaged and divided by each seed's mass. Used only to choose between placements of the seeds of
 * an object whose count is already decided ({@link #residual}), never to count them.
 *
 * <p>Bounded: at most {@value #MAX_SINGLES} singles measured; a residual looks at most {@value
 * #MAX_POINTS} voxels of an object, once per seed.
 */
public final class SeedTemplate {

  static final int MAX_SINGLES = 24;
  static final int MAX_POINTS = 2500;
  private static final double BIN_MM = 0.25;
  private static final int ALONG_BINS = 24;
  private static final int ACROSS_BINS = 12;

  private final double[] value;

  private SeedTemplate(double[] value) {
    this.value = value;
  }

  /**
   * The template from single seeds: each one's voxel positions (mm), contrasts, contrast-weighted
   * centre, unit axis and mass. Null when there are none.
   */
  public static SeedTemplate measure(List<double[][]> points, List<double[]> contrasts, List<double[]> centres,
      List<double[]> axes, List<Double> masses) {
    int singles = Math.min(MAX_SINGLES, points.size());
    if (singles == 0) {
      return null;
    }
    double[] sum = new double[ALONG_BINS * ACROSS_BINS * ACROSS_BINS];
    int[] count = new int[sum.length];
    for (int s = 0; s < singles; s++) {
      double[][] pts = points.get(s);
      double[] w = contrasts.get(s);
      for (int p = 0; p < pts.length; p++) {
        int bin = bin(pts[p], centres.get(s), axes.get(s));
        if (bin >= 0) {
          sum[bin] += w[p] / masses.get(s);
          count[bin]++;
        }
      }
    }
    for (int b = 0; b < sum.length; b++) {
      sum[b] = count[b] == 0 ? 0 : sum[b] / count[b];
    }
    return new SeedTemplate(sum);
  }

  private static int bin(double[] p, double[] centre, double[] axis) {
    double dx = p[0] - centre[0];
    double dy = p[1] - centre[1];
    double dz = p[2] - centre[2];
    double t = dx * axis[0] + dy * axis[1] + dz * axis[2];
    // across the axis: the part along the slices (z) and the part in the slice plane, which the
    // scan blurs differently
    double ux = -axis[2] * axis[0];
    double uy = -axis[2] * axis[1];
    double uz = 1 - axis[2] * axis[2];
    double un = Math.sqrt(ux * ux + uy * uy + uz * uz);
    double across = Math.max(0, dx * dx + dy * dy + dz * dz - t * t);
    double u = un < 1e-6 ? 0 : Math.abs(dx * ux + dy * uy + dz * uz) / un;
    double v = Math.sqrt(Math.max(0, across - u * u));
    int a = (int) (Math.abs(t) / BIN_MM);
    int b = (int) (u / BIN_MM);
    int c = (int) (v / BIN_MM);
    return a < ALONG_BINS && b < ACROSS_BINS && c < ACROSS_BINS ? (a * ACROSS_BINS + b) * ACROSS_BINS + c : -1;
  }

  private double at(double[] p, double[] centre, double[] axis) {
    int b = bin(p, centre, axis);
    return b < 0 ? 0 : value[b];
  }

  /** What n templates at these centres, at one common scale, leave of the object's contrast unexplained. */
  public double residual(double[][] points, double[] contrasts, double[][] centres, double[] axis) {
    int[] kept = SpatialMixture.strongest(contrasts, MAX_POINTS);
    double[] sum = new double[kept.length];
    for (double[] c : centres) {
      for (int i = 0; i < kept.length; i++) {
        sum[i] += at(points[kept[i]], c, axis);
      }
    }
    return residual(contrasts, kept, sum);
  }

  /** What n templates at one common scale leave unexplained: |d|^2 - (d.p)^2 / |p|^2. */
  private static double residual(double[] contrasts, int[] kept, double[] predicted) {
    double dd = 0;
    double dp = 0;
    double pp = 0;
    for (int i = 0; i < kept.length; i++) {
      double d = contrasts[kept[i]];
      dd += d * d;
      dp += d * predicted[i];
      pp += predicted[i] * predicted[i];
    }
    return pp <= 0 ? dd : dd - dp * dp / pp;
  }
}
