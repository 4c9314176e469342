package io.seedtrace.detection.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Test data: prostate-like implant plans and their "detections" (the plan moved rigidly, plus
 * localisation noise).
 */
final class Plans {

  private Plans() {}

  /**
   * {@code seeds} seeds on parallel needle tracks along z through template holes 10 mm apart (with up
   * to 1 mm of needle deflection), filled from the centre of an ellipse outwards; 2 to 5 seeds per
   * needle, 5 to 10 mm apart along the track.
   */
  static List<double[]> prostatePlan(Random rnd, int seeds) {
    List<double[]> holes = new ArrayList<>();
    for (int i = -10; i <= 10; i++) {
      for (int j = -10; j <= 10; j++) {
        holes.add(new double[] {10 * i, 10 * j});
      }
    }
    holes.sort(Comparator.comparingDouble(h -> Math.pow(h[0] / 1.3, 2) + h[1] * h[1] + 1e-3 * h[0] + 1e-6 * h[1]));
    List<double[]> plan = new ArrayList<>();
    for (double[] hole : holes) {
      if (plan.size() == seeds) {
        break;
      }
      double x = hole[0] + rnd.nextDouble() * 2 - 1;
      double y = hole[1] + rnd.nextDouble() * 2 - 1;
      double z = -20 + rnd.nextDouble() * 8;
      int onNeedle = Math.min(seeds - plan.size(), 2 + rnd.nextInt(4));
      for (int k = 0; k < onNeedle; k++) {
        plan.add(new double[] {x, y, z});
        z += 5 + 5 * rnd.nextDouble();
      }
    }
    return plan;
  }

  /** A regular template plan: every needle carries the same seeds at 10 mm spacing. */
  static List<double[]> latticePlan(int nx, int ny, int perNeedle) {
    List<double[]> plan = new ArrayList<>();
    for (int i = 0; i < nx; i++) {
      for (int j = 0; j < ny; j++) {
        for (int k = 0; k < perNeedle; k++) {
          plan.add(new double[] {10 * i, 10 * j, 10 * k});
        }
      }
    }
    return plan;
  }

  /** Rotation of {@code degrees} about {@code axis} (Rodrigues), then translation {@code t}. */
  static RigidTransform motion(double[] axis, double degrees, double[] t) {
    double norm = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double x = axis[0] / norm;
    double y = axis[1] / norm;
    double z = axis[2] / norm;
    double c = Math.cos(Math.toRadians(degrees));
    double s = Math.sin(Math.toRadians(degrees));
    double v = 1 - c;
    double[] r = {
        c + x * x * v, x * y * v - z * s, x * z * v + y * s,
        y * x * v + z * s, c + y * y * v, y * z * v - x * s,
        z * x * v - y * s, z * y * v + x * s, c + z * z * v};
    return new RigidTransform(r, t);
  }

  /** Random axis, angle up to {@code maxDegrees}, translation up to {@code maxMm} in a random direction. */
  static RigidTransform randomMotion(Random rnd, double maxDegrees, double maxMm) {
    double[] axis = unit(rnd);
    double[] direction = unit(rnd);
    double length = maxMm * rnd.nextDouble();
    return motion(axis, maxDegrees * rnd.nextDouble(),
        new double[] {direction[0] * length, direction[1] * length, direction[2] * length});
  }

  /** The plan as the CT would show it: moved by {@code t}, each coordinate with Gaussian noise. */
  static List<double[]> observe(List<double[]> plan, RigidTransform t, Random rnd, double sigmaMm) {
    List<double[]> seen = new ArrayList<>();
    for (double[] p : plan) {
      double[] q = t.apply(p);
      seen.add(new double[] {q[0] + sigmaMm * rnd.nextGaussian(), q[1] + sigmaMm * rnd.nextGaussian(),
          q[2] + sigmaMm * rnd.nextGaussian()});
    }
    return seen;
  }

  /** Angle of the rotation that separates the two transforms, degrees. */
  static double rotationErrorDegrees(RigidTransform estimate, RigidTransform truth) {
    return estimate.compose(truth.inverse()).rotationDegrees();
  }

  /** Largest distance between where the two transforms put a point of {@code points}. */
  static double maxPointErrorMm(RigidTransform estimate, RigidTransform truth, List<double[]> points) {
    double worst = 0;
    for (double[] p : points) {
      worst = Math.max(worst, Points.distance(estimate.apply(p), truth.apply(p)));
    }
    return worst;
  }

  private static double[] unit(Random rnd) {
    double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }
}
