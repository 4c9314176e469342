package io.seedtrace.dicom.rt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Positions collected in order, each kept once: a position within the tolerance of one already
 * kept is the same position. Lookups go through a grid of tolerance-sized cells, so a plan with
 * very many control points costs linear time, not quadratic.
 */
final class DistinctPositions {

  private record Cell(long x, long y, long z) {}

  private final double tolerance;
  private final List<double[]> kept = new ArrayList<>();
  private final Map<Cell, List<double[]>> grid = new HashMap<>();

  DistinctPositions(double tolerance) {
    this.tolerance = tolerance;
  }

  /** Keeps {@code p} unless a kept position lies closer than the tolerance; returns whether it was kept. */
  boolean add(double[] p) {
    Cell c = cell(p);
    for (long dx = -1; dx <= 1; dx++) {
      for (long dy = -1; dy <= 1; dy++) {
        for (long dz = -1; dz <= 1; dz++) {
          for (double[] q : grid.getOrDefault(new Cell(c.x + dx, c.y + dy, c.z + dz), List.of())) {
            if (distance(p, q) < tolerance) {
              return false;
            }
          }
        }
      }
    }
    double[] copy = p.clone();
    kept.add(copy);
    grid.computeIfAbsent(c, k -> new ArrayList<>()).add(copy);
    return true;
  }

  List<double[]> inOrder() {
    return List.copyOf(kept);
  }

  private Cell cell(double[] p) {
    return new Cell((long) Math.floor(p[0] / tolerance), (long) Math.floor(p[1] / tolerance),
        (long) Math.floor(p[2] / tolerance));
  }

  static double distance(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
}
