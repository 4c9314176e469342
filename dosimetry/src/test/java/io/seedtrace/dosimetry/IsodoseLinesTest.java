package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IsodoseLinesTest {

  private static final SeedModel ONCOSEED = SeedModel.load("oncoseed-6711");
  /** Two seeds 16 mm apart on the x axis, both along z, 0.5 U each. */
  private static final List<Seed> TWO_SEEDS = List.of(
      new Seed(ONCOSEED, new Point3(-8, 0, 0), new Point3(0, 0, 1), 0.5),
      new Seed(ONCOSEED, new Point3(8, 0, 0), new Point3(0, 0, 1), 0.5));

  private static DoseGrid twoSeedDoseGy() {
    DoseGrid grid = DoseGrid.cube(new Point3(-40, -40, -40), 80, 1.0);
    new GridDoseCalculator().accumulateDoseRate(TWO_SEEDS, grid);
    grid.scale(I125Decay.totalDoseGy(1));
    return grid;
  }

  @Test
  void everySegmentEndLiesWhereTheInterpolatedGridHasTheLevel() {
    DoseGrid grid = twoSeedDoseGy();
    double z = 2.3; // between two grid planes
    for (double level : new double[] {10, 30, 60, 100}) {
      List<IsodoseLines.Segment> line = IsodoseLines.onPlane(grid, z, level);
      assertThat(line).as("level %s Gy", level).isNotEmpty();
      for (IsodoseLines.Segment s : line) {
        assertThat(trilinear(grid, s.x0(), s.y0(), z)).isCloseTo(level, within(level * 1e-4));
        assertThat(trilinear(grid, s.x1(), s.y1(), z)).isCloseTo(level, within(level * 1e-4));
      }
    }
  }

  @Test
  void aTwoSeedLineCrossesTheSeedAxisWhereTheDirectSumHasItsLevel() {
    DoseGrid grid = twoSeedDoseGy();
    // the level the two seeds give, summed directly (no grid), 20 mm from the centre on the x axis
    double level = I125Decay.totalDoseGy(PointDose.doseRate(TWO_SEEDS, new Point3(20, 0, 0)));
    List<Double> crossings = new ArrayList<>();
    for (IsodoseLines.Segment s : IsodoseLines.onPlane(grid, 0.5, level)) {
      if ((s.y0() < 0) != (s.y1() < 0)) {
        crossings.add(s.x0() + (s.x1() - s.x0()) * (0 - s.y0()) / (s.y1() - s.y0()));
      }
    }
    // plane z = 0.5 mm: the dose there is within 0.3 % of the plane z = 0 this far from the seeds
    assertThat(crossings).hasSize(2);
    assertThat(crossings.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isCloseTo(20, within(0.3));
    assertThat(crossings.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isCloseTo(-20, within(0.3));
  }

  @Test
  void linesAroundTheSeedsAreClosedOneAroundBothAtALowLevelOneAroundEachAtAHighOne() {
    DoseGrid grid = twoSeedDoseGy();
    double low = I125Decay.totalDoseGy(PointDose.doseRate(TWO_SEEDS, new Point3(20, 0, 0)));
    double high = I125Decay.totalDoseGy(PointDose.doseRate(TWO_SEEDS, new Point3(8, 4, 0)));
    assertThat(loops(IsodoseLines.onPlane(grid, 0.5, low))).isEqualTo(1);
    assertThat(loops(IsodoseLines.onPlane(grid, 0.5, high))).isEqualTo(2);
    List<double[]> joined = IsodoseLines.joined(IsodoseLines.onPlane(grid, 0.5, high));
    assertThat(joined).hasSize(2).allSatisfy(line -> {
      assertThat(line[0]).isCloseTo(line[line.length - 2], within(1e-6));
      assertThat(line[1]).isCloseTo(line[line.length - 1], within(1e-6));
    });
  }

  @Test
  void aPlaneOutsideTheGridHasNoLine() {
    DoseGrid grid = twoSeedDoseGy();
    assertThat(IsodoseLines.onPlane(grid, 45, 1)).isEmpty();
    assertThatThrownBy(() -> IsodoseLines.onPlane(grid, 0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Number of closed lines: every end is shared by exactly two segments, then connected pieces are counted. */
  private static int loops(List<IsodoseLines.Segment> segments) {
    Map<String, List<Integer>> byEnd = new HashMap<>();
    for (int n = 0; n < segments.size(); n++) {
      IsodoseLines.Segment s = segments.get(n);
      byEnd.computeIfAbsent(key(s.x0(), s.y0()), k -> new ArrayList<>()).add(n);
      byEnd.computeIfAbsent(key(s.x1(), s.y1()), k -> new ArrayList<>()).add(n);
    }
    assertThat(byEnd.values()).allSatisfy(at -> assertThat(at).hasSize(2));
    int[] piece = new int[segments.size()];
    int pieces = 0;
    for (int start = 0; start < segments.size(); start++) {
      if (piece[start] != 0) {
        continue;
      }
      pieces++;
      List<Integer> todo = new ArrayList<>(List.of(start));
      while (!todo.isEmpty()) {
        int n = todo.remove(todo.size() - 1);
        if (piece[n] != 0) {
          continue;
        }
        piece[n] = pieces;
        IsodoseLines.Segment s = segments.get(n);
        todo.addAll(byEnd.get(key(s.x0(), s.y0())));
        todo.addAll(byEnd.get(key(s.x1(), s.y1())));
      }
    }
    return pieces;
  }

  private static String key(double x, double y) {
    return Math.round(x * 1e6) + ":" + Math.round(y * 1e6);
  }

  private static double trilinear(DoseGrid g, double x, double y, double z) {
    double fx = (x - g.originMm().x()) / g.spacingMm();
    double fy = (y - g.originMm().y()) / g.spacingMm();
    double fz = (z - g.originMm().z()) / g.spacingMm();
    int i = (int) Math.floor(fx);
    int j = (int) Math.floor(fy);
    int k = (int) Math.floor(fz);
    double tx = fx - i;
    double ty = fy - j;
    double tz = fz - k;
    double sum = 0;
    for (int c = 0; c < 8; c++) {
      int di = c & 1;
      int dj = (c >> 1) & 1;
      int dk = (c >> 2) & 1;
      double w = (di == 1 ? tx : 1 - tx) * (dj == 1 ? ty : 1 - ty) * (dk == 1 ? tz : 1 - tz);
      if (w > 0) {
        sum += w * g.value(i + di, j + dj, k + dk);
      }
    }
    return sum;
  }
}
