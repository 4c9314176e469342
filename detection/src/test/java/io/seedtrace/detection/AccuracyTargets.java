package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The accuracy targets, asserted as written over the outcomes of a test class's sets:
 * exact count on 95% of the scans with seeds, recall and precision 99.5%, centre error for slices
 * up to 2 mm (median 0.3 mm, p95 0.8 mm), no seed on the scans without seeds.
 */
abstract class AccuracyTargets {

  /** Every outcome of the sets, with and without seeds. */
  abstract List<AccuracySuite.Outcome> all();

  List<AccuracySuite.Outcome> withSeeds() {
    return all().stream().filter(o -> o.truth() > 0).toList();
  }

  @Test
  void exactCountOnAtLeast95PercentOfScansWithSeeds() {
    long exact = withSeeds().stream().filter(AccuracySuite.Outcome::exact).count();
    assertThat((double) exact / withSeeds().size()).as("exact count on %d of %d", exact, withSeeds().size())
        .isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void recallAndPrecisionAtLeast995Permille() {
    int truth = withSeeds().stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int detected = withSeeds().stream().mapToInt(AccuracySuite.Outcome::detected).sum();
    int matched = withSeeds().stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    assertThat((double) matched / truth).as("recall").isGreaterThanOrEqualTo(0.995);
    assertThat((double) matched / detected).as("precision").isGreaterThanOrEqualTo(0.995);
  }

  @Test
  void centreErrorForSlicesUpTo2mm() {
    List<Double> errors = withSeeds().stream().filter(o -> o.c().sliceMm() <= 2)
        .flatMap(o -> o.centreErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(errors, 0.5)).as("median centre error mm").isLessThanOrEqualTo(0.3);
    assertThat(AccuracySuite.percentile(errors, 0.95)).as("p95 centre error mm").isLessThanOrEqualTo(0.8);
  }

  @Test
  void noSeedOnTheScansWithoutSeeds() {
    List<AccuracySuite.Outcome> none = all().stream().filter(o -> o.truth() == 0).toList();
    assertThat(none).isNotEmpty();
    assertThat(none).allSatisfy(o -> assertThat(o.detected()).as(o.c().name()).isZero());
  }
}
