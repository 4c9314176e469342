package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuperpositionTest {

  private static final SeedModel ONCOSEED = SeedModel.load("oncoseed-6711");

  @Test
  void twoSeedDoseRateIsTheSumOfTwoIndependentlyComputedTerms() {
    // seed A at the origin along z, 0.5 U; seed B 10 mm away along x, axis along y, 0.7 U
    Seed a = new Seed(ONCOSEED, new Point3(0, 0, 0), new Point3(0, 0, 1), 0.5);
    Seed b = new Seed(ONCOSEED, new Point3(10, 0, 0), new Point3(0, 1, 0), 0.7);
    Point3 p = new Point3(4, 6, 8);
    // A: r = sqrt(16+36+64) mm, cos theta = 8 / r. B: offset (-6, 6, 8), cos theta = 6 / r.
    double ra = Math.sqrt(116) / 10;
    double rb = Math.sqrt(136) / 10;
    double expected = 0.5 * direct(ra, Math.acos(0.8 / ra)) + 0.7 * direct(rb, Math.acos(0.6 / rb));
    assertThat(PointDose.doseRate(List.of(a, b), p)).isCloseTo(expected, within(expected * 1e-9));
  }

  /** Lambda * G_L/G_L(1 cm, 90) * g_L * F written out from the model's published tables. */
  private static double direct(double r, double theta) {
    double l = ONCOSEED.activeLengthCm();
    double g0 = ConsensusDataTest.geometryByCosineLaw(1, 90, l);
    return ONCOSEED.lambda() * ConsensusDataTest.geometryByCosineLaw(r, Math.toDegrees(theta), l) / g0
        * ONCOSEED.radialDose().value(r) * ONCOSEED.anisotropy().value(r, Math.toDegrees(theta));
  }

  @Test
  void seedWithoutAxisUsesThePointSourceApproximation() {
    Seed seed = Seed.withoutAxis(ONCOSEED, new Point3(0, 0, 0), 1.0);
    assertThat(seed.doseRateAt(new Point3(0, 0, 20))).isCloseTo(ONCOSEED.pointSourceDoseRatePerSk(2), within(1e-12));
    assertThat(seed.doseRateAt(new Point3(20, 0, 0))).isCloseTo(ONCOSEED.pointSourceDoseRatePerSk(2), within(1e-12));
  }

  @Test
  void gridAgreesWithTheDirectSumWithinOnePercentAwayFromTheSeeds() {
    List<Seed> seeds = randomImplant(20, new Random(7));
    DoseGrid grid = DoseGrid.cube(new Point3(-35, -35, -35), 70, 2.0);
    new GridDoseCalculator().accumulateDoseRate(seeds, grid);
    Random pick = new Random(11);
    int checked = 0;
    double worst = 0;
    while (checked < 400) {
      int i = pick.nextInt(grid.nx());
      int j = pick.nextInt(grid.ny());
      int k = pick.nextInt(grid.nz());
      Point3 c = grid.centre(i, j, k);
      if (nearestSeedMm(seeds, c) < 3) {
        continue;
      }
      double exact = PointDose.doseRate(seeds, c);
      worst = Math.max(worst, Math.abs(grid.value(i, j, k) / exact - 1));
      checked++;
    }
    assertThat(worst).isLessThan(0.01);
    System.out.printf("VALIDATION grid vs direct sum, 400 voxels >= 3 mm from seeds: max deviation %.2e%n", worst);
  }

  static List<Seed> randomImplant(int n, Random random) {
    List<Seed> seeds = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      Point3 centre = new Point3(random.nextGaussian() * 12, random.nextGaussian() * 12, random.nextGaussian() * 12);
      Point3 axis = s % 10 == 9 ? null
          : new Point3(random.nextGaussian() * 0.3, random.nextGaussian() * 0.3, 1).unit();
      seeds.add(new Seed(ONCOSEED, centre, axis, 0.4 + 0.2 * random.nextDouble()));
    }
    return seeds;
  }

  private static double nearestSeedMm(List<Seed> seeds, Point3 p) {
    double best = Double.MAX_VALUE;
    for (Seed s : seeds) {
      Point3 c = s.centreMm();
      best = Math.min(best, Math.sqrt(Math.pow(p.x() - c.x(), 2) + Math.pow(p.y() - c.y(), 2)
          + Math.pow(p.z() - c.z(), 2)));
    }
    return best;
  }
}
