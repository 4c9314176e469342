package io.seedtrace.detection.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.FusionPhantom;
import io.seedtrace.detection.plan.RigidTransform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MR-to-CT registration on generated pelvis pairs ({@link FusionPhantom}) with known motions of up
 * to 20 mm and 10 degrees: the prostate's centre and the corners of its bounding box land within
 * 1 mm of where they belong, and the rotation within 1 degree.
 */
class MutualInformationRegistrationTest {

  private static CtScan ct;

  @BeforeAll
  static void scanTheCt() {
    ct = FusionPhantom.ct(1);
  }

  private record Case(String name, double[] translation, double[] axis, double degrees, double gridTiltDegrees,
      boolean sameFrame) {

    RigidTransform mrToCt() {
      return motion(axis, degrees, translation);
    }
  }

  private static RigidTransform motion(double[] axis, double degrees, double[] translation) {
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double a = Math.toRadians(degrees) / n;
    return RigidTransform.ofRotationVector(new double[] {axis[0] * a, axis[1] * a, axis[2] * a}, translation);
  }

  private static final List<Case> CASES = List.of(
      new Case("translation 20 mm", new double[] {12, -10, 12.5}, new double[] {1, 0, 0}, 0, 0, false),
      new Case("10 deg about left-right", new double[] {0, 0, 0}, new double[] {1, 0, 0}, 10, 0, false),
      new Case("10 deg about head-foot + 19 mm", new double[] {-8, 14, -10}, new double[] {0, 0, 1}, 10, 0, false),
      new Case("-10 deg about front-back + 20 mm", new double[] {15, 8, -10}, new double[] {0, 1, 0}, -10, 0, false),
      new Case("10 deg oblique axis + 20 mm", new double[] {-11, -11, 12}, new double[] {1, 1, 1}, 10, 0, false),
      new Case("7 deg, oblique MR slices", new double[] {5, -4, 3}, new double[] {1, -2, 0.5}, 7, 20, false),
      new Case("same frame, patient moved", new double[] {1.5, -1, 0.8}, new double[] {0, 1, 1}, 1.5, 0, true));

  @Test
  void recoversKnownMotionsWithin1MmAnd1DegreeAtTheProstate() throws Exception {
    MutualInformationRegistration registration = new MutualInformationRegistration(FusionSettings.defaults());
    List<double[]> errors = new ArrayList<>();
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-34s %-38s %9s %9s %8s %9s %7s %6s%n",
        "case", "true MR->CT motion", "centre mm", "corner mm", "err deg", "spread mm", "ms", "evals"));
    List<Double> spreads = new ArrayList<>();
    for (Case c : CASES) {
      CtScan mr = FusionPhantom.mr(c.mrToCt(), motion(new double[] {1, 0, 0}, c.gridTiltDegrees(), new double[3]),
          CASES.indexOf(c) + 10);
      FusionResult r = registration.register(ct, mr, c.sameFrame());
      double[] e = errors(c.mrToCt(), r.mrToCt());
      errors.add(e);
      double[] t = c.translation();
      spreads.add(r.restartSpreadMm());
      table.append(String.format(Locale.ROOT, "%-34s t=(%5.1f,%5.1f,%5.1f) rot=%5.1f deg    %9.2f %9.2f %8.2f %9.2f %7d %6d%n",
          c.name(), t[0], t[1], t[2], c.degrees(), e[0], e[1], e[2], r.restartSpreadMm(), r.elapsedMillis(),
          r.evaluations()));
    }
    System.out.println("MR-to-CT registration errors at the prostate:\n" + table);
    for (int i = 0; i < CASES.size(); i++) {
      assertThat(errors.get(i)[0]).as(CASES.get(i).name() + ": centre error mm").isLessThanOrEqualTo(1.0);
      assertThat(errors.get(i)[1]).as(CASES.get(i).name() + ": worst corner error mm").isLessThanOrEqualTo(1.0);
      assertThat(errors.get(i)[2]).as(CASES.get(i).name() + ": rotation error deg").isLessThanOrEqualTo(1.0);
      assertThat(spreads.get(i)).as(CASES.get(i).name() + ": spread of the restarts mm").isLessThanOrEqualTo(1.0);
    }
  }

  /**
   * An MR made from the seed phantom's CT (the one the verification tests detect seeds in): a small
   * field of view, the seeds as signal voids. The registration finds the motion as well there.
   */
  @Test
  void registersAnMrOfTheSeedPhantom() throws Exception {
    CtScan seedCt = io.seedtrace.detection.phantom.PhantomGenerator.generate(new io.seedtrace.detection.phantom.PhantomSpec(
        io.seedtrace.detection.phantom.PhantomSpec.Anatomy.PROSTATE, 128, 128, 50, 0.7, 1.5, 18, 0, 0, 0, false, false,
        15, 21)).scan();
    RigidTransform truth = motion(new double[] {1, 2, 0}, 8, new double[] {9, -12, 8});
    CtScan mr = FusionPhantom.mrOf(seedCt, truth, 5);
    FusionResult r = new MutualInformationRegistration(FusionSettings.defaults()).register(seedCt, mr, false);
    RigidTransform residual = r.mrToCt().compose(truth.inverse());
    double[] centre = seedCt.toPatient(63.5, 63.5, 24.5);
    double error = distance(residual.apply(centre), centre);
    System.out.printf(Locale.ROOT, "seed phantom MR: error %.2f mm, %.2f deg, spread %.2f mm, %d ms%n", error,
        residual.rotationDegrees(), r.restartSpreadMm(), r.elapsedMillis());
    assertThat(error).isLessThanOrEqualTo(1.0);
    assertThat(residual.rotationDegrees()).isLessThanOrEqualTo(1.0);
  }

  /** Centre error, worst error over the 8 corners of the prostate's bounding box (mm), rotation error (deg). */
  private static double[] errors(RigidTransform truth, RigidTransform found) {
    RigidTransform residual = found.compose(truth.inverse());
    double[] c = FusionPhantom.prostateCentre();
    double[] r = FusionPhantom.prostateRadii();
    double centre = distance(residual.apply(c), c);
    double corner = 0;
    for (int s = 0; s < 8; s++) {
      double[] p = {c[0] + ((s & 1) == 0 ? -r[0] : r[0]), c[1] + ((s & 2) == 0 ? -r[1] : r[1]),
          c[2] + ((s & 4) == 0 ? -r[2] : r[2])};
      corner = Math.max(corner, distance(residual.apply(p), p));
    }
    return new double[] {centre, corner, residual.rotationDegrees()};
  }

  private static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  @Test
  void aSingleSliceMrIsRefusedWithAReason() {
    CtScan slice = CtScan.axial(64, 64, 1, 1, 1, 3, new double[3], new short[64 * 64]);
    assertThatThrownBy(() -> new MutualInformationRegistration(FusionSettings.defaults()).register(ct, slice, true))
        .isInstanceOf(FusionException.class).hasMessageContaining("MR volume of 64 x 64 x 1 voxels is too thin");
  }

  @Test
  void anMrThatDoesNotCoverTheCtIsRefusedRatherThanMisplaced() throws Exception {
    CtScan elsewhere = FusionPhantom.mr(RigidTransform.ofTranslation(new double[] {0, 0, 400}),
        RigidTransform.identity(), 3);
    assertThatThrownBy(() -> new MutualInformationRegistration(FusionSettings.defaults()).register(ct, elsewhere, true))
        .isInstanceOf(FusionException.class).hasMessageContaining("does not cover");
  }

  @Test
  void stopsWithAnErrorWhenItsTimeBudgetRunsOut() throws Exception {
    CtScan mr = FusionPhantom.mr(motion(new double[] {0, 0, 1}, 5, new double[] {5, 5, 5}), RigidTransform.identity(), 4);
    FusionSettings tight = FusionSettings.defaults().withBudget(Duration.ofMillis(50));
    assertThatThrownBy(() -> new MutualInformationRegistration(tight).register(ct, mr, false))
        .isInstanceOf(FusionException.class).hasMessageContaining("did not finish within 50 ms");
  }
}
