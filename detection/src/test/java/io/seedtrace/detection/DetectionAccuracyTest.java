package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the generated suite and asserts what the detector must never get wrong, printing the
 * per-case table. The accuracy targets are asserted in {@code DetectionTargetsTest}.
 */
class DetectionAccuracyTest {

  static final List<AccuracySuite.Outcome> OUTCOMES = new ArrayList<>();

  @BeforeAll
  static void runSuite() throws Exception {
    if (!OUTCOMES.isEmpty()) {
      return;
    }
    SeedDetector detector = new SeedDetector(DetectorSettings.defaults());
    OUTCOMES.addAll(AccuracySuite.runAll(AccuracySuite.cases(), detector));
    AccuracySuite.print("base " + AccuracySuite.DEFAULT_BASE, OUTCOMES);
  }

  @Test
  void reportsNoSeedOnAScanWithOnlyClipFiducialBoneAndCalcifications() {
    AccuracySuite.Outcome none = OUTCOMES.get(OUTCOMES.size() - 1);
    assertThat(none.truth()).isZero();
    assertThat(none.detected()).isZero();
  }

  /**
   * Where the detector already meets the bar: every case with slices of 3 mm or less,
   * prostate- and lung-like, with clusters, streaks and distractors. Slices of 5 mm do not yet
   * (docs/detection.md); they are reported, not hidden, and {@code DetectionTargetsTest} asserts
   * the targets over the whole suite.
   */
  @Test
  void slicesUpTo3mmFindEverySeedWithinAFractionOfAMillimetre() {
    List<AccuracySuite.Outcome> thin = OUTCOMES.stream()
        .filter(o -> o.c().sliceMm() <= 3).filter(o -> o.truth() > 0).toList();
    int truth = thin.stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int detected = thin.stream().mapToInt(AccuracySuite.Outcome::detected).sum();
    int matched = thin.stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    assertThat((double) matched / truth).as("recall").isGreaterThanOrEqualTo(0.995);
    assertThat((double) matched / detected).as("precision").isGreaterThanOrEqualTo(0.995);
    List<Double> errors = thin.stream().filter(o -> o.c().sliceMm() <= 2)
        .flatMap(o -> o.centreErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(errors, 0.5)).as("median centre error mm, slices <= 2 mm").isLessThan(0.3);
    assertThat(AccuracySuite.percentile(errors, 0.95)).as("p95 centre error mm, slices <= 2 mm").isLessThan(0.8);
    List<Double> axes = thin.stream().flatMap(o -> o.axisErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(axes, 0.5)).as("median axis error deg").isLessThan(10);
  }

  @Test
  void rejectsTheGoldFiducialAndTheClipWithTheirReasons() throws Exception {
    var p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 35, 0.7, 2, 10, 0, 0, 1,
        true, false, 15, 7));
    DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(p.scan());
    // the thin clip holds far less metal than a seed: its pieces are rejected as small objects
    assertThat(r.rejected()).extracting(RejectedCandidate::reason).contains(Rejection.GOLD_FIDUCIAL, Rejection.BONE);
    assertThat(r.count()).isEqualTo(10);
    for (var cut : p.seeds().stream().filter(t -> t.cutByEdge()).toList()) {
      assertThat(r.seeds()).as("a seed cut by the scan edge is not counted")
          .noneMatch(s -> AccuracySuite.distance(s.centre(), cut.centre()) < 3);
    }
    for (double[] d : p.distractors()) {
      assertThat(r.seeds()).noneMatch(s -> AccuracySuite.distance(s.centre(), d) < 3);
    }
  }

  /**
   * On a plain 12-bit scale (every voxel clamped at 3071 HU) a gold marker among seeds with a dense
   * marker saturates as seeds side by side do: it is rejected as gold, or counted as a cluster that
   * may be a marker, with the count marked uncertain and a range that holds the truth. Never a
   * confident wrong count, and no seed on the other distractors.
   */
  @Test
  void aGoldFiducialOnAClampedScaleIsRejectedOrLeavesTheCountUncertain() throws Exception {
    var p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 35, 0.7, 2, 10, 0, 0, 1,
        true, false, 15, 7));
    AccuracySuite.clamp(p.scan().hu(), ClampedScaleTargetsTest.CLAMP_HU);
    DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(p.scan());
    assertThat(r.minCount()).as("lower bound").isLessThanOrEqualTo(10);
    assertThat(r.maxCount()).as("upper bound").isGreaterThanOrEqualTo(10);
    if (r.count() != 10) {
      assertThat(r.countIsCertain()).as("a wrong count is marked uncertain").isFalse();
    }
    double[] gold = p.distractors().get(p.distractors().size() - 1);
    for (double[] d : p.distractors().subList(0, p.distractors().size() - 1)) {
      assertThat(r.seeds()).noneMatch(s -> AccuracySuite.distance(s.centre(), d) < 3 && d != gold);
    }
  }
}
