package io.seedtrace.detection.fusion;

import io.seedtrace.detection.plan.RigidTransform;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One resolution level of the search: CT voxels drawn at random (positions relative to the centre
 * of rotation, and their intensity bins, computed once), the MR at the same resolution, and the cost
 * of a parameter vector {@code (tx, ty, tz mm, rx, ry, rz degrees)}: minus the normalised mutual
 * information of the CT samples and the MR interpolated where the motion takes them.
 */
final class SampledLevel {

  /** Below this fraction of CT samples inside the MR, a motion counts as no match at all. */
  static final double MIN_OVERLAP = 0.25;

  private final LevelGrid mr;
  private final double[] centre;
  private final double[] relative;
  private final double[] ctBins;
  private final JointHistogram histogram;
  private final long deadlineNanos;
  private int lastInside;

  SampledLevel(LevelGrid ct, LevelGrid mr, double[] centre, int maxSamples, int bins, long seed, long deadlineNanos) {
    this.mr = mr;
    this.centre = centre.clone();
    this.deadlineNanos = deadlineNanos;
    int n = Math.min(maxSamples, ct.size());
    SplittableRandom random = new SplittableRandom(seed);
    relative = new double[3 * n];
    double[] ctValues = new double[n];
    for (int s = 0; s < n; s++) {
      int index = n == ct.size() ? s : random.nextInt(ct.size());
      ct.position(index, relative, 3 * s);
      for (int a = 0; a < 3; a++) {
        relative[3 * s + a] -= centre[a];
      }
      ctValues[s] = ct.values[index];
    }
    double[] ctRange = range(ctValues);
    double ctScale = (bins - 1) / Math.max(1e-9, ctRange[1] - ctRange[0]);
    ctBins = new double[n];
    for (int s = 0; s < n; s++) {
      ctBins[s] = JointHistogram.binOf(ctValues[s], ctRange[0], ctScale, bins);
    }
    double[] mrRange = range(subsample(mr.values, random));
    histogram = new JointHistogram(bins, mrRange[0], mrRange[1]);
  }

  /** The 0.5th and 99.5th percentiles: the intensity range mapped onto the bins, robust to a few extreme voxels. */
  static double[] range(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new double[] {sorted[(int) (0.005 * (sorted.length - 1))], sorted[(int) (0.995 * (sorted.length - 1))]};
  }

  static double[] subsample(short[] values, SplittableRandom random) {
    int n = Math.min(values.length, 100_000);
    double[] out = new double[n];
    for (int s = 0; s < n; s++) {
      out[s] = values[n == values.length ? s : random.nextInt(values.length)];
    }
    return out;
  }

  /** The motion CT -> MR of a parameter vector: rotation about the centre, then translation. */
  RigidTransform ctToMr(double[] p) {
    RigidTransform rotation = RigidTransform.ofRotationVector(
        new double[] {Math.toRadians(p[3]), Math.toRadians(p[4]), Math.toRadians(p[5])}, new double[3]);
    double[] rc = rotation.apply(centre);
    return new RigidTransform(rotation.rotation(),
        new double[] {centre[0] + p[0] - rc[0], centre[1] + p[1] - rc[1], centre[2] + p[2] - rc[2]});
  }

  double cost(double[] p) {
    if (System.nanoTime() > deadlineNanos) {
      throw new PatternSearch.OutOfTime();
    }
    double[] r = RigidTransform.ofRotationVector(
        new double[] {Math.toRadians(p[3]), Math.toRadians(p[4]), Math.toRadians(p[5])}, new double[3]).rotation();
    double tx = centre[0] + p[0];
    double ty = centre[1] + p[1];
    double tz = centre[2] + p[2];
    histogram.clear();
    int inside = 0;
    for (int s = 0; s < ctBins.length; s++) {
      double x = relative[3 * s];
      double y = relative[3 * s + 1];
      double z = relative[3 * s + 2];
      double v = mr.sample(r[0] * x + r[1] * y + r[2] * z + tx, r[3] * x + r[4] * y + r[5] * z + ty,
          r[6] * x + r[7] * y + r[8] * z + tz);
      if (!Double.isNaN(v)) {
        histogram.add(ctBins[s], v);
        inside++;
      }
    }
    lastInside = inside;
    if (inside < MIN_OVERLAP * ctBins.length) {
      return 0;
    }
    return -histogram.normalisedMutualInformation();
  }

  /** Fraction of the samples inside the MR at the last evaluated motion. */
  double lastOverlap() {
    return (double) lastInside / ctBins.length;
  }
}
