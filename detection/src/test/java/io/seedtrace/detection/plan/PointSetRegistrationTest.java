package io.seedtrace.detection.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PointSetRegistrationTest {

  private final PointSetRegistration registration = new PointSetRegistration();

  @Test
  void recoversTheRigidMotionOfNoisyPlans() {
    Random rnd = new Random(20240501);
    for (int trial = 0; trial < 10; trial++) {
      List<double[]> plan = Plans.prostatePlan(rnd, 40 + rnd.nextInt(41));
      RigidTransform truth = Plans.randomMotion(rnd, 15, 30);
      List<double[]> detected = Plans.observe(plan, truth, rnd, 0.4);

      Registration r = registration.register(plan, detected);

      assertThat(r.method()).isEqualTo(Registration.TRIMMED_ICP);
      assertThat(r.residualMm()).as("trial %d residual", trial).isLessThan(1.0);
      assertThat(Plans.rotationErrorDegrees(r.transform(), truth)).as("trial %d rotation error", trial)
          .isLessThan(1.0);
      assertThat(Plans.maxPointErrorMm(r.transform(), truth, plan)).as("trial %d point error", trial)
          .isLessThan(1.0);
      assertThat(r.inliers()).isBetween((int) Math.round(0.8 * plan.size()), plan.size());
      assertThat(r.iterations()).isBetween(1, PointSetRegistration.MAX_ITERATIONS);
    }
  }

  @Test
  void ignoresMissingExtraAndMigratedSeeds() {
    Random rnd = new Random(77);
    for (int trial = 0; trial < 5; trial++) {
      List<double[]> plan = Plans.prostatePlan(rnd, 60);
      RigidTransform truth = Plans.randomMotion(rnd, 15, 30);
      List<double[]> detected = new ArrayList<>(Plans.observe(plan, truth, rnd, 0.4));
      detected.subList(0, 4).clear(); // four seeds lost
      double[] moved = detected.get(10); // one migrated by 12 mm
      detected.set(10, new double[] {moved[0] + 12, moved[1], moved[2]});
      for (int k = 0; k < 3; k++) { // three detections not in the plan
        detected.add(new double[] {rnd.nextGaussian() * 30, rnd.nextGaussian() * 30, rnd.nextGaussian() * 30});
      }

      Registration r = registration.register(plan, detected);

      assertThat(Plans.rotationErrorDegrees(r.transform(), truth)).as("trial %d", trial).isLessThan(1.0);
      assertThat(Plans.maxPointErrorMm(r.transform(), truth, plan)).as("trial %d", trial).isLessThan(1.0);
      assertThat(r.residualMm()).isLessThan(1.0);
    }
  }

  @Test
  void findsAPatientScannedFeetFirst() {
    Random rnd = new Random(31);
    for (int trial = 0; trial < 3; trial++) {
      List<double[]> plan = Plans.prostatePlan(rnd, 60);
      // feet first instead of head first: the CT frame is turned by half a turn about the A-P axis
      RigidTransform truth = Plans.motion(new double[] {0, 1, 0}, 180, new double[3])
          .compose(Plans.randomMotion(rnd, 15, 30));
      List<double[]> detected = Plans.observe(plan, truth, rnd, 0.4);

      Registration r = registration.register(plan, detected);

      assertThat(Plans.rotationErrorDegrees(r.transform(), truth)).as("trial %d", trial).isLessThan(1.0);
      assertThat(r.residualMm()).isLessThan(1.0);
    }
  }

  @Test
  void doesNotSlideARegularTemplateLatticeByOneNeedle() {
    Random rnd = new Random(5);
    List<double[]> plan = Plans.latticePlan(5, 4, 4);
    for (int trial = 0; trial < 5; trial++) {
      RigidTransform truth = Plans.randomMotion(rnd, 15, 30);
      List<double[]> detected = Plans.observe(plan, truth, rnd, 0.4);

      Registration r = registration.register(plan, detected);

      // a lattice maps onto itself under some turns, so compare where the seeds land, not the matrix
      List<double[]> registered = plan.stream().map(r.transform()::apply).toList();
      SeedMatching matching = new SeedMatcher(3).match(registered, detected);
      assertThat(matching.unmatchedPlanned()).as("trial %d", trial).isEmpty();
      assertThat(matching.unmatchedDetected()).as("trial %d", trial).isEmpty();
    }
  }

  @Test
  void translatesCentroidOntoCentroidWhenTooFewPointsFixARotation() {
    List<double[]> plan = List.of(new double[] {0, 0, 0}, new double[] {10, 0, 0});
    List<double[]> detected = List.of(new double[] {5, 5, 5}, new double[] {15, 5, 5}, new double[] {10, 5, 5});

    Registration r = registration.register(plan, detected);

    assertThat(r.method()).isEqualTo(Registration.CENTROID);
    assertThat(r.transform().rotationDegrees()).isZero();
    assertThat(r.transform().translation()).containsExactly(new double[] {5, 5, 5}, within(1e-12));
    assertThat(r.iterations()).isZero();
  }

  @Test
  void refusesEmptyInput() {
    List<double[]> some = List.of(new double[] {1, 2, 3});
    assertThatThrownBy(() -> registration.register(List.of(), some)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> registration.register(some, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesPointsThatAreNotThreeDimensional() {
    List<double[]> bad = List.of(new double[] {1, 2});
    assertThatThrownBy(() -> registration.register(bad, bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesATrimFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> new PointSetRegistration(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PointSetRegistration(1.2)).isInstanceOf(IllegalArgumentException.class);
  }
}
