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
    for (AccuracySuite.Case c : AccuracySuite.cases()) {
      OUTCOMES.add(AccuracySuite.run(c, detector));
    }
    System.out.println(String.format("%-45s %6s %8s %7s %9s %9s %8s", "case", "truth", "detected", "matched",
        "ctr-med", "ctr-p95", "axis-med"));
    for (AccuracySuite.Outcome o : OUTCOMES) {
      System.out.println(String.format("%-45s %6d %8d %7d %9.2f %9.2f %8.1f", o.c().name(), o.truth(), o.detected(),
          o.matched(), AccuracySuite.percentile(o.centreErrors(), 0.5), AccuracySuite.percentile(o.centreErrors(), 0.95),
          AccuracySuite.percentile(o.axisErrors(), 0.5)));
    }
    List<AccuracySuite.Outcome> withSeeds = OUTCOMES.stream().filter(o -> o.truth() > 0).toList();
    int truth = withSeeds.stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int detected = withSeeds.stream().mapToInt(AccuracySuite.Outcome::detected).sum();
    int matched = withSeeds.stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    long exact = OUTCOMES.stream().filter(AccuracySuite.Outcome::exact).count();
    System.out.println(String.format("SUMMARY exact count %d of %d cases; recall %.2f%% (%d of %d); precision %.2f%% (%d of %d)",
        exact, OUTCOMES.size(), 100.0 * matched / truth, matched, truth, 100.0 * matched / detected, matched, detected));
  }

  @Test
  void reportsNoSeedOnAScanWithOnlyClipFiducialBoneAndCalcifications() {
    AccuracySuite.Outcome none = OUTCOMES.get(OUTCOMES.size() - 1);
    assertThat(none.truth()).isZero();
    assertThat(none.detected()).isZero();
  }

  /**
   * Where the detector already meets the bar: prostate-like scans with 1 and 2 mm slices.
   * Lung-like scans and 3-5 mm slices do not yet (see docs/detection.md); they are reported, not hidden.
   */
  @Test
  void prostateScansWithThinSlicesFindEverySeedWithinAFractionOfAMillimetre() {
    List<AccuracySuite.Outcome> thin = OUTCOMES.stream()
        .filter(o -> o.c().name().startsWith("PROSTATE 1mm") || o.c().name().startsWith("PROSTATE 2mm"))
        .filter(o -> o.truth() > 0).toList();
    int truth = thin.stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int matched = thin.stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    List<Double> errors = thin.stream().flatMap(o -> o.centreErrors().stream()).toList();
    assertThat((double) matched / truth).as("recall").isGreaterThan(0.97);
    assertThat(AccuracySuite.percentile(errors, 0.5)).as("median centre error mm").isLessThan(0.3);
    assertThat(AccuracySuite.percentile(errors, 0.95)).as("p95 centre error mm").isLessThan(0.8);
    List<Double> axes = thin.stream().flatMap(o -> o.axisErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(axes, 0.5)).as("median axis error deg").isLessThan(10);
  }

  @Test
  void rejectsTheGoldFiducialAndTheClipWithTheirReasons() throws Exception {
    var p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 35, 0.7, 2, 10, 0, 0, 1,
        true, false, 15, 7));
    DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(p.scan());
    // the thin clip stays below the metal threshold here, so it is not even a candidate
    assertThat(r.rejected()).extracting(RejectedCandidate::reason).contains(Rejection.GOLD_FIDUCIAL);
    assertThat(r.count()).isEqualTo(10);
    for (var cut : p.seeds().stream().filter(t -> t.cutByEdge()).toList()) {
      assertThat(r.seeds()).as("a seed cut by the scan edge is not counted")
          .noneMatch(s -> AccuracySuite.distance(s.centre(), cut.centre()) < 3);
    }
    for (double[] d : p.distractors()) {
      assertThat(r.seeds()).noneMatch(s -> AccuracySuite.distance(s.centre(), d) < 3);
    }
  }
}
