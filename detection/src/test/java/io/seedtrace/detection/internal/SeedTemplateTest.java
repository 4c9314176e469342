package io.seedtrace.detection.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedTemplateTest {

  private static final double[] ALONG_Z = {0, 0, 1};

  /** Voxels (x, y, z, contrast) of blurred 4.5 mm rods along z at the given centres, on a 0.25 mm grid. */
  private static List<double[]> rods(double[]... centres) {
    List<double[]> voxels = new ArrayList<>();
    for (double x = -4; x <= 4; x += 0.25) {
      for (double y = -4; y <= 4; y += 0.25) {
        for (double z = -5; z <= 5; z += 0.25) {
          double w = 0;
          for (double[] c : centres) {
            double across = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
            double beyond = Math.max(0, Math.abs(z - c[2]) - 2.25);
            w += 3000 * Math.exp(-(across + beyond * beyond) / (2 * 0.35));
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

  private static double[] contrasts(List<double[]> v) {
    return v.stream().mapToDouble(p -> p[3]).toArray();
  }

  private static SeedTemplate fromOneSingle() {
    List<double[]> single = rods(new double[] {0, 0, 0});
    double mass = single.stream().mapToDouble(p -> p[3]).sum();
    return SeedTemplate.measure(List.<double[][]>of(points(single)), List.of(contrasts(single)), List.of(new double[3]),
        List.of(ALONG_Z), List.of(mass));
  }

  @Test
  void seedsWhereTheyLieExplainAPairBetterThanBothOnItsCentre() {
    List<double[]> pair = rods(new double[] {-0.5, 0, 0}, new double[] {0.5, 0, 0});
    SeedTemplate template = fromOneSingle();

    double apart = template.residual(points(pair), contrasts(pair),
        new double[][] {{-0.5, 0, 0}, {0.5, 0, 0}}, ALONG_Z);
    double onCentre = template.residual(points(pair), contrasts(pair), new double[][] {{0, 0, 0}, {0, 0, 0}}, ALONG_Z);
    double alongInstead = template.residual(points(pair), contrasts(pair),
        new double[][] {{0, 0, -0.5}, {0, 0, 0.5}}, ALONG_Z);

    assertThat(apart).isLessThan(0.2 * onCentre).isLessThan(0.2 * alongInstead);
  }

  @Test
  void noSingleSeedNoTemplate() {
    assertThat(SeedTemplate.measure(List.of(), List.of(), List.of(), List.of(), List.of())).isNull();
  }
}
