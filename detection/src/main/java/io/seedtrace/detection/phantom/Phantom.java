package io.seedtrace.detection.phantom;

import io.seedtrace.detection.CtScan;
import java.util.List;

/** A generated scan and its ground truth. */
public record Phantom(CtScan scan, List<TruthSeed> seeds, List<double[]> distractors) {

  /** A seed as placed: centre and unit axis (LPS mm), whether it touches others, whether the scan cuts it. */
  public record TruthSeed(double[] centre, double[] axis, boolean inCluster, boolean cutByEdge) {}
}
