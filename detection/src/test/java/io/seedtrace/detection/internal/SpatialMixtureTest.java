package io.seedtrace.detection.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpatialMixtureTest {

  /** Voxels of blurred blobs at the given centres, on a 0.5 mm grid, contrast falling off with distance. */
  private static List<double[]> blobs(double[][] centres, double sigma) {
    List<double[]> voxels = new ArrayList<>();
    for (double x = -10; x <= 10; x += 0.5) {
      for (double y = -10; y <= 10; y += 0.5) {
        for (double z = -10; z <= 10; z += 0.5) {
          double w = 0;
          for (double[] c : centres) {
            double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) + (z - c[2]) * (z - c[2]);
            w += 3000 * Math.exp(-d2 / (2 * sigma * sigma));
          }
          if (w > 100) {
            voxels.add(new double[] {x, y, z, w});
          }
        }
      }
    }
    return voxels;
  }

  private static double[][] points(List<double[]> v) {
    return v.stream().map(p -> new double[] {p[0], p[1], p[2]}).toArray(double[][]::new);
  }

  private static double[] weights(List<double[]> v) {
    return v.stream().mapToDouble(p -> p[3]).toArray();
  }

  @Test
  void seedsOfAClusterOffTheAxisAreFoundWhereTheirMetalIs() {
    double[][] truth = {{-3, 2, 0}, {3, -2, 1}, {0, 0, -4}};
    List<double[]> v = blobs(truth, 0.8);
    // started on a line through the object, as a split along its axis leaves them
    double[][] start = {{-2, 0, 0}, {0, 0, 0}, {2, 0, 0}};
    double[][] refined = SpatialMixture.refine(points(v), weights(v), start, 1.0, 5.0);
    for (double[] t : truth) {
      double best = Double.MAX_VALUE;
      for (double[] c : refined) {
        best = Math.min(best, Math.sqrt(Math.pow(c[0] - t[0], 2) + Math.pow(c[1] - t[1], 2) + Math.pow(c[2] - t[2], 2)));
      }
      assertThat(best).as("a seed found near %s", java.util.Arrays.toString(t)).isLessThan(0.5);
    }
  }

  @Test
  void twoStartsCollapsingOnOneSeedKeepTheStart() {
    List<double[]> v = blobs(new double[][] {{0, 0, 0}}, 0.8);
    double[][] start = {{-1.5, 0, 0}, {1.5, 0, 0}};
    double[][] refined = SpatialMixture.refine(points(v), weights(v), start, 1.0, 5.0);
    assertThat(refined[0][0]).isCloseTo(-1.5, within(1e-9));
    assertThat(refined[1][0]).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void aHugeObjectIsRefinedInBoundedTime() {
    Random random = new Random(3);
    int n = 400_000;
    double[][] pts = new double[n][];
    double[] w = new double[n];
    for (int p = 0; p < n; p++) {
      pts[p] = new double[] {random.nextDouble() * 100, random.nextDouble() * 100, random.nextDouble() * 100};
      w[p] = random.nextDouble() * 3000;
    }
    double[][] start = new double[24][];
    for (int c = 0; c < start.length; c++) {
      start[c] = new double[] {4 * c, 50, 50};
    }
    long t0 = System.nanoTime();
    SpatialMixture.refine(pts, w, start, 1.0, 4.5);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
  }
}
