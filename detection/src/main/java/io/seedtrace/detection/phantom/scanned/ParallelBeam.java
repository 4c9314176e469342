package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/**
 * Parallel-beam scan geometry: {@code views} projection angles evenly spread over 180 degrees and a
 * row of detector bins of width {@code du}, centred on the isocentre (the origin of x and y).
 *
 * <p>A ray of view v and bin k is the line {@code x cos(theta) + y sin(theta) = u0 + k du}. Fan-beam
 * data of a clinical scanner are usually rebinned to exactly this geometry before reconstruction.
 * Patient motion is modelled as a rigid in-plane shift that changes between groups of consecutive
 * views: shifting the object by t moves its projection along the detector by
 * {@code t . (cos, sin)}, so motion costs only a per-view offset.
 */
final class ParallelBeam {

  final int views;
  final int bins;
  final double du;
  final double u0;
  final double[] cos;
  final double[] sin;
  /** Detector offset (mm) of each view caused by patient motion. */
  final double[] shift;

  ParallelBeam(int views, double du, double radiusMm) {
    this.views = views;
    this.du = du;
    this.bins = 2 * (int) Math.ceil(radiusMm / du) + 3;
    this.u0 = -(bins - 1) / 2.0 * du;
    this.cos = new double[views];
    this.sin = new double[views];
    this.shift = new double[views];
    for (int v = 0; v < views; v++) {
      double theta = Math.PI * v / views;
      cos[v] = Math.cos(theta);
      sin[v] = Math.sin(theta);
    }
  }

  /**
   * Draws a new motion pattern: the views fall into groups, each with its own rigid shift of about
   * {@code rmsMm} (the first group is the reference position); 0 means a still patient.
   */
  void moveRigidly(double rmsMm, SplittableRandom random) {
    java.util.Arrays.fill(shift, 0);
    if (rmsMm <= 0) {
      return;
    }
    int groups = 8;
    double tx = 0;
    double ty = 0;
    for (int v = 0; v < views; v++) {
      int g = v * groups / views;
      if (g > 0 && v * groups % views < groups) {
        tx = random.nextGaussian() * rmsMm / Math.sqrt(2);
        ty = random.nextGaussian() * rmsMm / Math.sqrt(2);
      }
      shift[v] = tx * cos[v] + ty * sin[v];
    }
  }

  int rays() {
    return views * bins;
  }
}
