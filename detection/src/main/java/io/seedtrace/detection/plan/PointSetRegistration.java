package io.seedtrace.detection.plan;

import io.seedtrace.detection.internal.SymmetricEigen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rigid registration of the planned seed positions (moving) onto the detected ones (fixed) when the
 * plan and the CT share no frame of reference and no correspondence is known.
 *
 * <p>Why this shape: after an implant some seeds are missing from the CT (lost, outside the scan),
 * some detections are not in the plan (extra seeds, a split cluster), and some seeds have migrated.
 * Plain ICP would let those points pull the fit; here only the best {@code trimFraction} of the
 * nearest-neighbour pairs enter each least-squares step (trimmed ICP), so up to
 * {@code 1 - trimFraction} outliers are ignored. ICP only finds the nearest local minimum, so it is
 * started from fourteen initial alignments, all with the centroids superimposed:
 *
 * <ul>
 *   <li>the identity rotation (plan and CT usually show the patient in a similar orientation) and its
 *       three half turns about x, y and z (the same patient scanned feet first or prone);
 *   <li>the identity tilted by +-10 degrees about x, y and z: for an implant a few centimetres across
 *       ICP's basin is only about ten degrees wide, and missing or extra seeds shift the centroids;
 *       with 4 seeds missing, 3 extra and 1 migrated, plans turned by 10-15 degrees were lost about 3
 *       times in 1000 without these starts, never with them;
 *   <li>the principal axes (eigenvectors of the covariance) of the plan laid onto those of the
 *       detections, in the four sign combinations that give a proper rotation (a principal axis has
 *       no intrinsic direction).
 * </ul>
 *
 * The end point with the lowest trimmed RMS wins.
 *
 * <p>Each least-squares step is the Kabsch solution (SVD of the 3x3 correlation, EJML) with a guard
 * against reflections. Iteration stops when the trimmed RMS improves by less than 1e-6 mm, or after
 * {@value #MAX_ITERATIONS} steps. The winner is then polished: a fixed trimming share also discards
 * good pairs, so it is refitted with every pair closer than three times its trimmed RMS (clamped to
 * 1-2.5 mm). Nearest neighbours are searched exhaustively: for a few hundred seeds that is cheaper
 * than building a tree.
 *
 * <p>Known limit: some start must lie in the right basin. When two principal variances are nearly
 * equal (a round implant, a long regular lattice) the principal axes are arbitrary about the third
 * one and only the identity family helps, so a plan turned by well over 15 degrees from the CT may
 * be registered wrongly. That shows as a residual of millimetres instead of the usual ~0.6 mm, and as
 * displaced and missing seeds: the verification then fails rather than passing wrongly.
 *
 * <p>With fewer than three points on either side no rotation is determined: the result is the
 * translation of centroid onto centroid.
 */
public final class PointSetRegistration {

  public static final double DEFAULT_TRIM_FRACTION = 0.8;
  public static final int MAX_ITERATIONS = 50;

  private static final double CONVERGED_MM = 1e-6;
  private static final double POLISH_MIN_MM = 1.0;
  private static final double POLISH_MAX_MM = 2.5;
  /** Tilt of the extra starts around the identity, degrees. */
  private static final double NUDGE_DEGREES = 10;
  /** Diagonal sign patterns with determinant +1: identity and the half turns about x, y and z. */
  private static final double[][] PROPER_FLIPS = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};

  private final double trimFraction;

  public PointSetRegistration() {
    this(DEFAULT_TRIM_FRACTION);
  }

  /** @param trimFraction share of nearest-neighbour pairs kept in each step, in (0, 1] */
  public PointSetRegistration(double trimFraction) {
    if (!(trimFraction > 0 && trimFraction <= 1)) {
      throw new IllegalArgumentException("trimFraction must be in (0, 1]");
    }
    this.trimFraction = trimFraction;
  }

  public double trimFraction() {
    return trimFraction;
  }

  /**
   * Finds the rigid transform that takes {@code moving} (the plan) onto {@code fixed} (the
   * detections).
   *
   * @throws IllegalArgumentException if either list is empty or holds something other than 3-D points
   */
  public Registration register(List<double[]> moving, List<double[]> fixed) {
    Points.check(moving, "moving");
    Points.check(fixed, "fixed");
    if (moving.isEmpty() || fixed.isEmpty()) {
      throw new IllegalArgumentException("registration needs at least one point on each side");
    }
    if (moving.size() < 3 || fixed.size() < 3) {
      double[] cm = Points.centroid(moving);
      double[] cf = Points.centroid(fixed);
      RigidTransform shift = RigidTransform.ofTranslation(new double[] {cf[0] - cm[0], cf[1] - cm[1], cf[2] - cm[2]});
      Fit fit = fit(shift, moving, fixed);
      return new Registration(shift, fit.trimmedRms, fit.kept.length, 0, Registration.CENTROID);
    }
    List<Refined> ends = new ArrayList<>();
    for (RigidTransform start : starts(moving, fixed)) {
      ends.add(refine(start, moving, fixed));
    }
    Refined best = ends.get(0);
    for (Refined e : ends) {
      if (e.fit.trimmedRms < best.fit.trimmedRms) {
        best = e;
      }
    }
    return polish(best, moving, fixed);
  }

  /**
   * Describes a transform obtained elsewhere (method {@link Registration#GIVEN}) with the same trimmed
   * nearest-neighbour residual, so that a wrong registration object shows as a large residual. Either
   * list may be empty; the residual is then 0 with no inliers.
   */
  public Registration assess(RigidTransform given, List<double[]> moving, List<double[]> fixed) {
    Points.check(moving, "moving");
    Points.check(fixed, "fixed");
    if (moving.isEmpty() || fixed.isEmpty()) {
      return new Registration(given, 0, 0, 0, Registration.GIVEN);
    }
    Fit fit = fit(given, moving, fixed);
    return new Registration(given, fit.trimmedRms, fit.kept.length, 0, Registration.GIVEN);
  }

  /**
   * Trimming a fixed share also throws away good pairs when there are few outliers, which costs
   * accuracy (the fit then follows the noise of the pairs it happened to keep). Once the trimmed fit
   * has converged, the noise level is known from its residual, so the fit is repeated with every
   * nearest-neighbour pair closer than three times that residual (at least 1 mm, at most 2.5 mm, half
   * the closest seed spacing of a plan), iterating while the truncated sum of squares falls. The
   * polished fit is kept only if it uses at least as many pairs as the trimmed one.
   */
  private Registration polish(Refined trimmed, List<double[]> moving, List<double[]> fixed) {
    double threshold = Math.min(POLISH_MAX_MM, Math.max(POLISH_MIN_MM, 3 * trimmed.fit.trimmedRms));
    double threshold2 = threshold * threshold;
    RigidTransform current = trimmed.transform;
    Fit fit = trimmed.fit;
    int[] inliers = within(fit, threshold2);
    int used = fit.kept.length;
    double cost = truncatedCost(fit, threshold2);
    int iterations = trimmed.iterations;
    for (int step = 0; step < MAX_ITERATIONS && inliers.length >= trimmed.fit.kept.length; step++) {
      RigidTransform next = kabsch(inliers, fit.partner, moving, fixed);
      Fit nextFit = fit(next, moving, fixed);
      double nextCost = truncatedCost(nextFit, threshold2);
      int[] nextInliers = within(nextFit, threshold2);
      if (nextCost > cost || nextInliers.length < trimmed.fit.kept.length) {
        break;
      }
      iterations++;
      double gain = cost - nextCost;
      current = next;
      fit = nextFit;
      used = inliers.length;
      inliers = nextInliers;
      cost = nextCost;
      if (gain < CONVERGED_MM * CONVERGED_MM * moving.size()) {
        break;
      }
    }
    return new Registration(current, fit.trimmedRms, used, iterations, Registration.TRIMMED_ICP);
  }

  private static int[] within(Fit fit, double threshold2) {
    int[] idx = new int[fit.d2.length];
    int count = 0;
    for (int i = 0; i < fit.d2.length; i++) {
      if (fit.d2[i] <= threshold2) {
        idx[count++] = i;
      }
    }
    return Arrays.copyOf(idx, count);
  }

  private static double truncatedCost(Fit fit, double threshold2) {
    double sum = 0;
    for (double d : fit.d2) {
      sum += Math.min(d, threshold2);
    }
    return sum;
  }

  /** Trimmed ICP from {@code start}, at most {@value #MAX_ITERATIONS} least-squares steps. */
  private Refined refine(RigidTransform start, List<double[]> moving, List<double[]> fixed) {
    RigidTransform current = start;
    Fit fit = fit(current, moving, fixed);
    int iterations = 0;
    while (iterations < MAX_ITERATIONS) {
      RigidTransform next = kabsch(fit.kept, fit.partner, moving, fixed);
      Fit nextFit = fit(next, moving, fixed);
      double gain = fit.trimmedRms - nextFit.trimmedRms;
      if (gain < 0) {
        // a trimmed least-squares step cannot get worse except by rounding: keep the previous state
        break;
      }
      iterations++;
      current = next;
      fit = nextFit;
      if (gain < CONVERGED_MM) {
        break;
      }
    }
    return new Refined(current, fit, iterations);
  }

  /** Least-squares rotation and translation of the kept pairs (Kabsch). */
  private static RigidTransform kabsch(int[] pairs, int[] partner, List<double[]> moving, List<double[]> fixed) {
    int k = pairs.length;
    double[] ca = new double[3];
    double[] cb = new double[3];
    for (int i = 0; i < k; i++) {
      double[] a = moving.get(pairs[i]);
      double[] b = fixed.get(partner[pairs[i]]);
      for (int c = 0; c < 3; c++) {
        ca[c] += a[c] / k;
        cb[c] += b[c] / k;
      }
    }
    // correlation sum (b - cb)(a - ca)^T, whose nearest rotation is the optimum
    double[] m = new double[9];
    for (int i = 0; i < k; i++) {
      double[] a = moving.get(pairs[i]);
      double[] b = fixed.get(partner[pairs[i]]);
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          m[3 * r + c] += (b[r] - cb[r]) * (a[c] - ca[c]);
        }
      }
    }
    double[] rotation = Rotations.nearestRotation(m);
    double[] rca = Rotations.times(rotation, ca);
    return new RigidTransform(rotation, new double[] {cb[0] - rca[0], cb[1] - rca[1], cb[2] - rca[2]});
  }

  /** Nearest fixed point of every transformed moving point; the closest pairs are kept. */
  private Fit fit(RigidTransform t, List<double[]> moving, List<double[]> fixed) {
    int n = moving.size();
    int[] partner = new int[n];
    double[] d2 = new double[n];
    for (int i = 0; i < n; i++) {
      double[] p = t.apply(moving.get(i));
      double best = Double.MAX_VALUE;
      for (int j = 0; j < fixed.size(); j++) {
        double d = Points.distance2(p, fixed.get(j));
        if (d < best) {
          best = d;
          partner[i] = j;
        }
      }
      d2[i] = best;
    }
    int keep = keptCount(n, fixed.size());
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(d2[x], d2[y]));
    int[] kept = new int[keep];
    double trimmed = 0;
    for (int i = 0; i < keep; i++) {
      kept[i] = order[i];
      trimmed += d2[order[i]];
    }
    return new Fit(partner, d2, kept, Math.sqrt(trimmed / keep));
  }

  /**
   * At most {@code min(n, m)} points can truly correspond, so the kept share is taken of that; never
   * fewer than three pairs, which a rotation needs.
   */
  private int keptCount(int moving, int fixed) {
    int possible = Math.min(moving, fixed);
    int keep = (int) Math.round(trimFraction * possible);
    return Math.max(Math.min(3, possible), keep);
  }

  /** The rotations ICP starts from, each with the centroids superimposed. */
  private static List<RigidTransform> starts(List<double[]> moving, List<double[]> fixed) {
    double[] cm = Points.centroid(moving);
    double[] cf = Points.centroid(fixed);
    List<double[]> rotations = new ArrayList<>();
    for (double[] flip : PROPER_FLIPS) {
      rotations.add(new double[] {flip[0], 0, 0, 0, flip[1], 0, 0, 0, flip[2]});
    }
    for (int axis = 0; axis < 3; axis++) {
      rotations.add(turn(axis, NUDGE_DEGREES));
      rotations.add(turn(axis, -NUDGE_DEGREES));
    }
    rotations.addAll(principalAxesRotations(moving, cm, fixed, cf));
    List<RigidTransform> starts = new ArrayList<>();
    for (double[] r : rotations) {
      double[] rcm = Rotations.times(r, cm);
      starts.add(new RigidTransform(r, new double[] {cf[0] - rcm[0], cf[1] - rcm[1], cf[2] - rcm[2]}));
    }
    return starts;
  }

  /** Rotation by {@code degrees} about coordinate axis {@code axis} (0 = x, 1 = y, 2 = z). */
  private static double[] turn(int axis, double degrees) {
    double c = Math.cos(Math.toRadians(degrees));
    double s = Math.sin(Math.toRadians(degrees));
    int i = (axis + 1) % 3;
    int j = (axis + 2) % 3;
    double[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    r[3 * i + i] = c;
    r[3 * i + j] = -s;
    r[3 * j + i] = s;
    r[3 * j + j] = c;
    return r;
  }

  /** The principal axes of {@code moving} laid onto those of {@code fixed}, four proper sign choices. */
  private static List<double[]> principalAxesRotations(List<double[]> moving, double[] cm, List<double[]> fixed,
      double[] cf) {
    double[] em = axes(moving, cm);
    double[] ef = axes(fixed, cf);
    double orientation = Math.signum(Rotations.determinant(em) * Rotations.determinant(ef));
    List<double[]> rotations = new ArrayList<>();
    for (int s1 = -1; s1 <= 1; s1 += 2) {
      for (int s2 = -1; s2 <= 1; s2 += 2) {
        double[] signs = {s1, s2, s1 * s2 * orientation};
        double[] r = new double[9];
        for (int row = 0; row < 3; row++) {
          for (int col = 0; col < 3; col++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
              sum += ef[3 * row + c] * signs[c] * em[3 * col + c];
            }
            r[3 * row + col] = sum;
          }
        }
        rotations.add(Rotations.nearestRotation(r));
      }
    }
    return rotations;
  }

  /** Principal axes as the columns of a row-major 3x3 matrix, largest variance first. */
  private static double[] axes(List<double[]> points, double[] centre) {
    double[][] cov = new double[3][3];
    for (double[] p : points) {
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          cov[r][c] += (p[r] - centre[r]) * (p[c] - centre[c]) / points.size();
        }
      }
    }
    SymmetricEigen eigen = new SymmetricEigen(cov);
    double[] e = new double[9];
    for (int c = 0; c < 3; c++) {
      for (int r = 0; r < 3; r++) {
        e[3 * r + c] = eigen.vectors[c][r];
      }
    }
    return e;
  }

  /**
   * @param partner index of the nearest fixed point, per moving point
   * @param d2 squared distance to it
   * @param kept moving indices of the retained pairs, closest first
   */
  private record Fit(int[] partner, double[] d2, int[] kept, double trimmedRms) {}

  private record Refined(RigidTransform transform, Fit fit, int iterations) {}
}
