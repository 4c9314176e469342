package io.seedtrace.dosimetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a dose grid crosses a dose level on an axial plane: the isodose line as straight segments
 * in patient coordinates (mm). The plane's dose is interpolated linearly between the two grid
 * planes around it, then each square of four neighbouring voxel centres is cut where the dose,
 * linear along the square's sides, equals the level (marching squares; a saddle square is decided
 * by the mean of its corners). The segments' ends therefore lie exactly where the interpolated grid
 * has the level. Work and memory are bounded by the grid: one plane of floats and at most two
 * segments per square.
 *
 * <pre>{@code
 * List<IsodoseLines.Segment> prescription = IsodoseLines.onPlane(doseGy, 12.5, 145.0);
 * }</pre>
 */
public final class IsodoseLines {

  /** A piece of an isodose line from (x0, y0) to (x1, y1), mm, on the plane's z. */
  public record Segment(double x0, double y0, double x1, double y1) {}

  private IsodoseLines() {}

  /**
   * The isodose line of {@code level} on the plane {@code zMm}; empty when the plane lies outside
   * the grid (beyond its first or last voxel centre) or the level is not crossed.
   *
   * @throws IllegalArgumentException if the level or z is not finite
   */
  public static List<Segment> onPlane(DoseGrid grid, double zMm, double level) {
    if (!Double.isFinite(level) || !Double.isFinite(zMm)) {
      throw new IllegalArgumentException("isodose level and plane must be finite, got " + level + " at " + zMm);
    }
    float[] plane = plane(grid, zMm);
    List<Segment> out = new ArrayList<>();
    if (plane == null) {
      return out;
    }
    int nx = grid.nx();
    for (int j = 0; j + 1 < grid.ny(); j++) {
      for (int i = 0; i + 1 < nx; i++) {
        square(grid, plane, i, j, level, out);
      }
    }
    return out;
  }

  /** The grid's dose on plane z, x fastest; null outside the grid. */
  static float[] plane(DoseGrid grid, double zMm) {
    double kz = (zMm - grid.originMm().z()) / grid.spacingMm();
    if (kz < -1e-9 || kz > grid.nz() - 1 + 1e-9) {
      return null;
    }
    int k0 = Math.min(Math.max(0, (int) Math.floor(kz)), grid.nz() - 1);
    int k1 = Math.min(k0 + 1, grid.nz() - 1);
    float t = (float) Math.max(0, Math.min(1, kz - k0));
    float[] plane = new float[grid.nx() * grid.ny()];
    int p = 0;
    for (int j = 0; j < grid.ny(); j++) {
      for (int i = 0; i < grid.nx(); i++) {
        plane[p++] = (1 - t) * grid.value(i, j, k0) + t * grid.value(i, j, k1);
      }
    }
    return plane;
  }

  /**
   * One square with corners a (i, j), b (i+1, j), c (i+1, j+1), d (i, j+1); its sides are numbered
   * 0 (a-b), 1 (b-c), 2 (c-d), 3 (d-a).
   */
  private static void square(DoseGrid grid, float[] plane, int i, int j, double level, List<Segment> out) {
    int nx = grid.nx();
    double a = plane[i + nx * j];
    double b = plane[i + 1 + nx * j];
    double c = plane[i + 1 + nx * (j + 1)];
    double d = plane[i + nx * (j + 1)];
    int mask = (a >= level ? 1 : 0) | (b >= level ? 2 : 0) | (c >= level ? 4 : 0) | (d >= level ? 8 : 0);
    if (mask == 0 || mask == 15) {
      return;
    }
    double[][] cut = new double[4][];
    cut[0] = crossing(grid, i, j, i + 1, j, a, b, level);
    cut[1] = crossing(grid, i + 1, j, i + 1, j + 1, b, c, level);
    cut[2] = crossing(grid, i + 1, j + 1, i, j + 1, c, d, level);
    cut[3] = crossing(grid, i, j + 1, i, j, d, a, level);
    boolean centreAbove = (a + b + c + d) / 4 >= level;
    switch (mask) {
      case 5 -> { // a and c above, b and d below: a saddle; the centre says which pair is joined
        join(out, cut, 0, centreAbove ? 1 : 3);
        join(out, cut, 2, centreAbove ? 3 : 1);
      }
      case 10 -> { // b and d above, a and c below
        join(out, cut, 0, centreAbove ? 3 : 1);
        join(out, cut, 2, centreAbove ? 1 : 3);
      }
      default -> {
        int first = -1;
        for (int side = 0; side < 4; side++) {
          if (cut[side] != null) {
            if (first < 0) {
              first = side;
            } else {
              join(out, cut, first, side);
            }
          }
        }
      }
    }
  }

  private static void join(List<Segment> out, double[][] cut, int from, int to) {
    out.add(new Segment(cut[from][0], cut[from][1], cut[to][0], cut[to][1]));
  }

  /** Where the level lies on the side from voxel (i0, j0) (value u) to (i1, j1) (value v); null if not crossed. */
  private static double[] crossing(DoseGrid grid, int i0, int j0, int i1, int j1, double u, double v, double level) {
    if ((u >= level) == (v >= level)) {
      return null;
    }
    double t = (level - u) / (v - u);
    double h = grid.spacingMm();
    double x = grid.originMm().x() + (i0 + t * (i1 - i0)) * h;
    double y = grid.originMm().y() + (j0 + t * (j1 - j0)) * h;
    return new double[] {x, y};
  }

  /**
   * The segments joined end to end into lines, each as x0, y0, x1, y1, ... (mm); a closed line ends
   * where it began. Ends closer than a micrometre are taken as one point.
   */
  public static List<double[]> joined(List<Segment> segments) {
    Map<Long, List<Integer>> byEnd = new HashMap<>();
    for (int n = 0; n < segments.size(); n++) {
      Segment s = segments.get(n);
      byEnd.computeIfAbsent(key(s.x0(), s.y0()), k -> new ArrayList<>(2)).add(n);
      byEnd.computeIfAbsent(key(s.x1(), s.y1()), k -> new ArrayList<>(2)).add(n);
    }
    boolean[] used = new boolean[segments.size()];
    List<double[]> lines = new ArrayList<>();
    for (int n = 0; n < segments.size(); n++) {
      if (used[n]) {
        continue;
      }
      used[n] = true;
      Segment s = segments.get(n);
      List<double[]> forward = walk(segments, byEnd, used, s.x1(), s.y1());
      List<double[]> backward = walk(segments, byEnd, used, s.x0(), s.y0());
      List<double[]> points = new ArrayList<>(backward);
      Collections.reverse(points);
      points.add(new double[] {s.x0(), s.y0()});
      points.add(new double[] {s.x1(), s.y1()});
      points.addAll(forward);
      double[] line = new double[2 * points.size()];
      for (int p = 0; p < points.size(); p++) {
        line[2 * p] = points.get(p)[0];
        line[2 * p + 1] = points.get(p)[1];
      }
      lines.add(line);
    }
    return lines;
  }

  /** From the point (x, y), follows unused segments as far as they go; the points reached, in order. */
  private static List<double[]> walk(List<Segment> segments, Map<Long, List<Integer>> byEnd, boolean[] used,
      double x, double y) {
    List<double[]> points = new ArrayList<>();
    boolean moved = true;
    while (moved) {
      moved = false;
      for (int n : byEnd.getOrDefault(key(x, y), List.of())) {
        if (used[n]) {
          continue;
        }
        used[n] = true;
        Segment s = segments.get(n);
        boolean fromStart = key(s.x0(), s.y0()) == key(x, y);
        x = fromStart ? s.x1() : s.x0();
        y = fromStart ? s.y1() : s.y0();
        points.add(new double[] {x, y});
        moved = true;
        break;
      }
    }
    return points;
  }

  private static long key(double x, double y) {
    long qx = Math.round(x * 1000);
    long qy = Math.round(y * 1000);
    return qx * 4_000_003L + qy;
  }
}
