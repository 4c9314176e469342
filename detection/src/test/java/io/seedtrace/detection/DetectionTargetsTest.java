package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accuracy targets over the whole generated suite, asserted as written. They are not
 * all met yet (docs/detection.md), so this class runs only with {@code ./mvnw -pl detection test
 * -Ptargets} and is expected to fail until the detector reaches them.
 */
@Tag("targets")
class DetectionTargetsTest {

  static List<AccuracySuite.Outcome> outcomes;

  @BeforeAll
  static void run() throws Exception {
    DetectionAccuracyTest.runSuite();
    outcomes = DetectionAccuracyTest.OUTCOMES.stream().filter(o -> o.truth() > 0).toList();
  }

  @Test
  void exactCountOnAtLeast95PercentOfCases() {
    long exact = outcomes.stream().filter(AccuracySuite.Outcome::exact).count();
    assertThat((double) exact / outcomes.size()).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void recallAndPrecisionAtLeast995Permille() {
    int truth = outcomes.stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int detected = outcomes.stream().mapToInt(AccuracySuite.Outcome::detected).sum();
    int matched = outcomes.stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    assertThat((double) matched / truth).as("recall").isGreaterThanOrEqualTo(0.995);
    assertThat((double) matched / detected).as("precision").isGreaterThanOrEqualTo(0.995);
  }

  @Test
  void centreErrorForSlicesUpTo2mm() {
    List<Double> errors = outcomes.stream()
        .filter(o -> o.c().spec().sliceMm() <= 2).flatMap(o -> o.centreErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(errors, 0.5)).isLessThanOrEqualTo(0.3);
    assertThat(AccuracySuite.percentile(errors, 0.95)).isLessThanOrEqualTo(0.8);
  }

  @Test
  void axisErrorMedianForIsolatedSeeds() {
    List<Double> axes = outcomes.stream().flatMap(o -> o.axisErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(axes, 0.5)).isLessThanOrEqualTo(10);
  }
}
