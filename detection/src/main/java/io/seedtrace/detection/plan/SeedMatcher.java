package io.seedtrace.detection.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * Optimal one-to-one assignment of planned seeds (already in the CT's frame) to detected seeds.
 *
 * <p>Why not nearest neighbours: two planned seeds can share a nearest detection, and a greedy
 * closest-first pass can leave a worse pair behind. The Hungarian method (JGraphT's Kuhn-Munkres)
 * minimises the total distance over all one-to-one assignments. It needs a square, complete problem,
 * so the {@code n} planned and {@code m} detected points are padded to {@code n + m} on each side:
 *
 * <ul>
 *   <li>planned i - detected j: their distance when it is at most {@code maxPairDistanceMm}, else a
 *       cost larger than leaving every point unassigned (so such a pair is never chosen);
 *   <li>planned i - dummy, and dummy - detected j: {@code maxPairDistanceMm} ("no partner");
 *   <li>dummy - dummy: 0.
 * </ul>
 *
 * A real pair therefore costs at most {@code maxPairDistanceMm}, against twice that for leaving both
 * points unassigned; points farther apart end up as one missing planned seed and one extra detection.
 *
 * <p>Costs are passed as whole micrometres: the JGraphT implementation tests reduced costs for exact
 * zero, which whole numbers (exact in a double) keep reliable. Reported distances are not rounded.
 */
public final class SeedMatcher {

  public static final double DEFAULT_MAX_PAIR_DISTANCE_MM = 15;

  private static final double UNITS_PER_MM = 1000;

  private final double maxPairDistanceMm;

  public SeedMatcher() {
    this(DEFAULT_MAX_PAIR_DISTANCE_MM);
  }

  public SeedMatcher(double maxPairDistanceMm) {
    if (!(maxPairDistanceMm > 0) || Double.isInfinite(maxPairDistanceMm)) {
      throw new IllegalArgumentException("maxPairDistanceMm must be positive and finite");
    }
    this.maxPairDistanceMm = maxPairDistanceMm;
  }

  public double maxPairDistanceMm() {
    return maxPairDistanceMm;
  }

  /** Assigns {@code planned} (in CT coordinates) to {@code detected}; either list may be empty. */
  public SeedMatching match(List<double[]> planned, List<double[]> detected) {
    Points.check(planned, "planned");
    Points.check(detected, "detected");
    int n = planned.size();
    int m = detected.size();
    if (n == 0 || m == 0) {
      return new SeedMatching(List.of(), range(n), range(m));
    }
    int size = n + m;
    double unpaired = Math.round(maxPairDistanceMm * UNITS_PER_MM);
    double forbidden = (size + 1) * unpaired + 1;
    Costs costs = costs(planned, detected, unpaired, forbidden);
    var matching = new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(costs.graph(), costs.rows(),
        costs.columns()).getMatching();
    int[] detectedOf = new int[n];
    Arrays.fill(detectedOf, -1);
    boolean[] taken = new boolean[m];
    Graph<Integer, DefaultWeightedEdge> graph = costs.graph();
    for (DefaultWeightedEdge e : matching.getEdges()) {
      int a = graph.getEdgeSource(e);
      int b = graph.getEdgeTarget(e);
      int row = Math.min(a, b);
      int col = Math.max(a, b) - size;
      if (row < n && col < m && graph.getEdgeWeight(e) < forbidden) {
        detectedOf[row] = col;
        taken[col] = true;
      }
    }
    return matchingOf(planned, detected, detectedOf, taken);
  }

  /** The complete bipartite cost graph: row vertices 0..size-1, column vertices size..2 size-1. */
  private record Costs(Graph<Integer, DefaultWeightedEdge> graph, Set<Integer> rows, Set<Integer> columns) {}

  /** The padded, square assignment problem as a complete bipartite graph of costs (see the class comment). */
  private Costs costs(List<double[]> planned, List<double[]> detected, double unpaired, double forbidden) {
    int n = planned.size();
    int m = detected.size();
    int size = n + m;
    // rows: planned 0..n-1, then one dummy per detected; columns: detected, then one dummy per planned
    Graph<Integer, DefaultWeightedEdge> graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
    Set<Integer> rows = new HashSet<>();
    Set<Integer> columns = new HashSet<>();
    for (int v = 0; v < size; v++) {
      graph.addVertex(v);
      rows.add(v);
      graph.addVertex(size + v);
      columns.add(size + v);
    }
    for (int row = 0; row < size; row++) {
      for (int col = 0; col < size; col++) {
        double cost;
        if (row < n && col < m) {
          double d = Points.distance(planned.get(row), detected.get(col));
          cost = d <= maxPairDistanceMm ? Math.round(d * UNITS_PER_MM) : forbidden;
        } else if (row < n || col < m) {
          cost = unpaired;
        } else {
          cost = 0;
        }
        graph.setEdgeWeight(graph.addEdge(row, size + col), cost);
      }
    }
    return new Costs(graph, rows, columns);
  }

  /**
   * The pairs (planned i with detection {@code detectedOf[i]}), the planned seeds left without one
   * and the detections not {@code taken}.
   */
  private static SeedMatching matchingOf(List<double[]> planned, List<double[]> detected, int[] detectedOf,
      boolean[] taken) {
    List<SeedPair> pairs = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      if (detectedOf[i] < 0) {
        missing.add(i);
        continue;
      }
      double[] p = planned.get(i);
      double[] q = detected.get(detectedOf[i]);
      double[] displacement = {q[0] - p[0], q[1] - p[1], q[2] - p[2]};
      pairs.add(new SeedPair(i, detectedOf[i], displacement, Points.distance(p, q)));
    }
    List<Integer> extra = new ArrayList<>();
    for (int j = 0; j < detected.size(); j++) {
      if (!taken[j]) {
        extra.add(j);
      }
    }
    return new SeedMatching(pairs, missing, extra);
  }

  private static List<Integer> range(int n) {
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }
}
