package io.seedtrace.detection.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PositionVerifierTest {

  private final PositionSettings defaults = PositionSettings.defaults();

  /** A plan of 40-80 seeds and its detections after a random rigid motion with 0.4 mm noise. */
  private record Implant(List<double[]> plan, List<double[]> detected, RigidTransform truth) {
    static Implant generate(long seed) {
      Random rnd = new Random(seed);
      List<double[]> plan = Plans.prostatePlan(rnd, 40 + rnd.nextInt(41));
      RigidTransform truth = Plans.randomMotion(rnd, 15, 30);
      return new Implant(plan, Plans.observe(plan, truth, rnd, 0.4), truth);
    }
  }

  @Test
  void anImplantAsPlannedPasses() {
    for (long seed = 1; seed <= 5; seed++) {
      Implant implant = Implant.generate(seed);

      PositionVerification v = PositionVerifier.verify(implant.plan(), implant.detected(), Optional.empty(), defaults);

      assertThat(v.alarms()).as("seed %d", seed).isEmpty();
      assertThat(v.passed()).isTrue();
      assertThat(v.score()).isGreaterThan(0.9).isLessThanOrEqualTo(1);
      assertThat(v.pairs()).hasSize(implant.plan().size());
      assertThat(v.missing()).isEmpty();
      assertThat(v.extra()).isEmpty();
      assertThat(v.registration().method()).isEqualTo(Registration.TRIMMED_ICP);
      assertThat(v.registration().residualMm()).isLessThan(1);
      assertThat(v.maxDisplacementMm()).isLessThan(3);
      assertThat(v.meanDisplacementMm()).isLessThan(1);
      // seed i of the plan is found where detection i is
      assertThat(v.pairs()).allMatch(pair -> pair.planned() == pair.detected());
    }
  }

  @Test
  void aSeedMissingFromTheScanIsReportedAsMissing() {
    Implant implant = Implant.generate(11);
    int lost = 17;
    List<double[]> detected = new ArrayList<>(implant.detected());
    detected.remove(lost);

    PositionVerification v = PositionVerifier.verify(implant.plan(), detected, Optional.empty(), defaults);

    assertThat(v.missing()).containsExactly(lost);
    assertThat(v.extra()).isEmpty();
    assertThat(v.passed()).isFalse();
    assertThat(v.alarms()).singleElement().asString().contains("planned seed " + lost + " ").contains("missing");
    assertThat(v.score()).isGreaterThan(0.8);
  }

  @Test
  void aSeedMigratedBy12MillimetresRaisesAnAlarm() {
    Implant implant = Implant.generate(12);
    int migrated = isolatedSeed(implant.plan());
    List<double[]> detected = new ArrayList<>(implant.detected());
    double[] d = detected.get(migrated);
    double[] perpendicular = unitPerpendicularToTracks(implant.truth());
    detected.set(migrated, new double[] {d[0] + 12 * perpendicular[0], d[1] + 12 * perpendicular[1],
        d[2] + 12 * perpendicular[2]});

    PositionVerification v = PositionVerifier.verify(implant.plan(), detected, Optional.empty(), defaults);

    assertThat(v.passed()).isFalse();
    boolean beyondTolerance = v.pairs().stream()
        .anyMatch(p -> p.planned() == migrated && p.distanceMm() > defaults.toleranceMm());
    boolean missingAndExtra = v.missing().contains(migrated) && v.extra().contains(migrated);
    assertThat(beyondTolerance || missingAndExtra).as("planned seed %d reported", migrated).isTrue();
    assertThat(v.alarms()).anyMatch(a -> a.contains("planned seed " + migrated + " "));
    assertThat(v.maxDisplacementMm() > defaults.toleranceMm() || !v.missing().isEmpty()).isTrue();
  }

  @Test
  void anExtraDetectionIsReportedAsExtra() {
    Implant implant = Implant.generate(13);
    List<double[]> detected = new ArrayList<>(implant.detected());
    double[] far = implant.truth().apply(new double[] {0, 90, 0});
    detected.add(far);

    PositionVerification v = PositionVerifier.verify(implant.plan(), detected, Optional.empty(), defaults);

    assertThat(v.extra()).containsExactly(detected.size() - 1);
    assertThat(v.missing()).isEmpty();
    assertThat(v.alarms()).singleElement().asString()
        .contains("detected seed " + (detected.size() - 1)).contains("extra");
  }

  @Test
  void aKnownTransformFromADicomMatrixIsAppliedAsGiven() {
    Implant implant = Implant.generate(14);
    RigidTransform known = RigidTransform.fromDicomMatrix(implant.truth().toDicomMatrix());

    PositionVerification v = PositionVerifier.verify(implant.plan(), implant.detected(), Optional.of(known), defaults);

    assertThat(v.registration().method()).isEqualTo(Registration.GIVEN);
    assertThat(v.registration().iterations()).isZero();
    assertThat(v.registration().transform().rotation()).containsExactly(implant.truth().rotation(), within(1e-9));
    assertThat(v.registration().transform().translation()).containsExactly(implant.truth().translation(), within(1e-9));
    assertThat(v.registration().residualMm()).isLessThan(1);
    assertThat(v.passed()).isTrue();

    // a wrong matrix is not corrected behind the caller's back
    RigidTransform wrong = RigidTransform.ofTranslation(new double[] {8, 0, 0}).compose(known);
    PositionVerification off =
        PositionVerifier.verify(implant.plan(), implant.detected(), Optional.of(wrong), defaults);
    assertThat(off.registration().transform()).isEqualTo(wrong);
    assertThat(off.registration().residualMm()).isGreaterThan(2);
    assertThat(off.passed()).isFalse();
  }

  @Test
  void theScoreFollowsTheDocumentedFormula() {
    List<double[]> planned = List.of(new double[] {0, 0, 0}, new double[] {20, 0, 0}, new double[] {40, 0, 0});
    // in place, at the tolerance (5 mm), and one extra far away; the third planned seed is missing
    List<double[]> detected = List.of(new double[] {0, 0, 0}, new double[] {20, 5, 0}, new double[] {0, 80, 0},
        new double[] {0, -80, 0});

    PositionVerification v =
        PositionVerifier.verify(planned, detected, Optional.of(RigidTransform.identity()), defaults);

    // (1 + 0.5 + 0) / max(3, 4)
    assertThat(v.score()).isCloseTo(1.5 / 4, within(1e-12));
    assertThat(v.maxDisplacementMm()).isCloseTo(5, within(1e-12));
    assertThat(v.meanDisplacementMm()).isCloseTo(2.5, within(1e-12));
    assertThat(v.missing()).containsExactly(2);
    assertThat(v.extra()).containsExactly(2, 3);
    assertThat(v.alarms()).hasSize(4).first().asString().contains("score 0.375");
  }

  @Test
  void nothingPlannedAndNothingFoundIsAPerfectMatch() {
    PositionVerification v = PositionVerifier.verify(List.of(), List.of(), Optional.empty(), defaults);
    assertThat(v.score()).isEqualTo(1);
    assertThat(v.passed()).isTrue();
    assertThat(v.registration().method()).isEqualTo(Registration.NONE);
    assertThat(v.registration().residualMm()).isZero();
  }

  @Test
  void seedsFoundWhereNoneWerePlannedAreAllExtra() {
    PositionVerification v =
        PositionVerifier.verify(List.of(), List.of(new double[] {1, 2, 3}), Optional.empty(), defaults);
    assertThat(v.score()).isZero();
    assertThat(v.extra()).containsExactly(0);
    assertThat(v.passed()).isFalse();
  }

  @Test
  void runsOnA150SeedImplant() {
    Random rnd = new Random(150);
    List<double[]> plan = Plans.prostatePlan(rnd, 150);
    RigidTransform truth = Plans.randomMotion(rnd, 15, 30);
    List<double[]> detected = Plans.observe(plan, truth, rnd, 0.4);

    PositionVerification v = PositionVerifier.verify(plan, detected, Optional.empty(), defaults);

    assertThat(v.pairs()).hasSize(150);
    assertThat(v.score()).isGreaterThan(0.9);
    assertThat(Plans.rotationErrorDegrees(v.registration().transform(), truth)).isLessThan(1);
  }

  /** A planned seed with no other planned seed within 6 mm, so that its displacement is unambiguous. */
  private static int isolatedSeed(List<double[]> plan) {
    for (int i = plan.size() / 2; i < plan.size(); i++) {
      int index = i;
      boolean alone = java.util.stream.IntStream.range(0, plan.size())
          .noneMatch(j -> j != index && Points.distance(plan.get(j), plan.get(index)) < 6);
      if (alone) {
        return i;
      }
    }
    throw new IllegalStateException("no isolated seed");
  }

  /** The plan's x axis (across the needle tracks) as seen in the CT. */
  private static double[] unitPerpendicularToTracks(RigidTransform truth) {
    double[] r = truth.rotation();
    return new double[] {r[0], r[3], r[6]};
  }
}
