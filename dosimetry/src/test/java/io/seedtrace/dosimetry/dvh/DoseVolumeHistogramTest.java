package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.GridDoseCalculator;
import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.PointDose;
import io.seedtrace.dosimetry.Seed;
import io.seedtrace.dosimetry.SeedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A point source (axis unknown) in the centre of a sphere: its dose depends on r alone and falls
 * with r, so the hottest x % of the sphere is the inner ball of radius R (x/100)^(1/3) and D_x is
 * the dose at that radius; V at a dose D(r) is (r/R)^3 of the sphere.
 */
class DoseVolumeHistogramTest {

  private static final SeedModel ONCOSEED = SeedModel.load("oncoseed-6711");
  private static final double R = 15;
  private static final List<Seed> SEED = List.of(Seed.withoutAxis(ONCOSEED, new Point3(0, 0, 0), 0.5));

  private static double doseAtRadiusGy(double r) {
    return I125Decay.totalDoseGy(PointDose.doseRate(SEED, new Point3(r, 0, 0)));
  }

  private static DoseVolumeHistogram sphereDvh(double spacingMm) {
    DoseGrid grid = DoseGrid.cube(new Point3(-20, -20, -20), 40, spacingMm);
    new GridDoseCalculator().accumulateDoseRate(SEED, grid);
    grid.scale(I125Decay.totalDoseGy(1));
    Structure sphere = Shapes.sphere("sphere", 0, 0, 0, R, 0.5, 180);
    return DoseVolumeHistogram.of("sphere", VoxelFractions.of(sphere, grid), grid);
  }

  @Test
  void d90OfASphereAroundOneSeedIsTheDoseAtTheRadiusHoldingNinetyPercent() {
    double expected = doseAtRadiusGy(R * Math.cbrt(0.9));
    assertThat(sphereDvh(1.0).doseToPercentGy(90)).isCloseTo(expected, within(0.03 * expected));
    assertThat(sphereDvh(0.5).doseToPercentGy(90)).isCloseTo(expected, within(0.015 * expected));
  }

  @Test
  void v100OfTheSphereIsTheInnerBallThatReceivesThePrescription() {
    DoseVolumeHistogram dvh = sphereDvh(0.5);
    double prescription = doseAtRadiusGy(10);
    double expected = 100 * Math.pow(10 / R, 3);
    assertThat(dvh.percentAtLeast(prescription)).isCloseTo(expected, within(0.03 * expected));
    double cc = 4.0 / 3 * Math.PI * 1000 / 1000;
    assertThat(dvh.volumeAtLeastCc(prescription)).isCloseTo(cc, within(0.03 * cc));
  }

  @Test
  void theCumulativeDvhStartsAtTheWholeVolumeAndNeverRises() {
    DoseVolumeHistogram dvh = sphereDvh(1.0);
    double[] v = dvh.cumulative(1.0);
    assertThat(v[0]).isEqualTo(dvh.volumeCc());
    assertThat(dvh.volumeCc()).isCloseTo(4.0 / 3 * Math.PI * R * R * R / 1000, within(0.01 * 14.1));
    for (int b = 1; b < v.length; b++) {
      assertThat(v[b]).isLessThanOrEqualTo(v[b - 1]);
    }
    assertThat(v[v.length - 1]).isZero();
    assertThat(dvh.volumeAtLeastCc(dvh.maxGy() + 1)).isZero();
    assertThat(dvh.doseToPercentGy(100)).isEqualTo(dvh.minGy());
    assertThat(dvh.meanGy()).isBetween(dvh.minGy(), dvh.maxGy());
  }

  @Test
  void dccCountsTheHottestCubicCentimetres() {
    DoseVolumeHistogram dvh = sphereDvh(0.5);
    // the hottest 2 cc around a point source is the ball of 2 cc
    double r2cc = Math.cbrt(2000 * 3 / (4 * Math.PI));
    double expected = doseAtRadiusGy(r2cc);
    assertThat(dvh.doseToVolumeGy(2)).isCloseTo(expected, within(0.03 * expected));
    assertThat(dvh.doseToVolumeGy(1000)).isEqualTo(dvh.minGy());
  }
}
