package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.scanned.ScannedSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accuracy targets on the second phantom generator ({@code phantom.scanned}: another
 * anatomy, seeds of two designs, CT simulated by projection and filtered back-projection of the
 * whole slice), written by someone who had not seen the detector's rules, over three sets the rules
 * were never worked out on. Runs with {@code ./mvnw -pl detection test -Ptargets}; prints the table
 * of each set and asserts the targets as written.
 */
@Tag("targets")
class ScannedTargetsTest {

  static final long[] BASES = {1, 2, 3};
  static final List<AccuracySuite.Outcome> ALL = new ArrayList<>();
  static List<AccuracySuite.Outcome> withSeeds;

  @BeforeAll
  static void run() throws Exception {
    SeedDetector detector = new SeedDetector(DetectorSettings.defaults());
    for (long base : BASES) {
      List<AccuracySuite.Outcome> set = AccuracySuite.runAll(scannedCases(base), detector);
      AccuracySuite.print("scanned generator, set " + base, set);
      ALL.addAll(set);
    }
    AccuracySuite.print("scanned generator, all " + BASES.length + " sets", ALL, false);
    withSeeds = ALL.stream().filter(o -> o.truth() > 0).toList();
  }

  /** The second generator's cases of one set, as accuracy cases. */
  static List<AccuracySuite.Case> scannedCases(long base) {
    return ScannedSuite.cases(base).stream().map(c -> new AccuracySuite.Case("scanned " + c.name(),
        c.spec().sliceThicknessMm(), c::generate)).toList();
  }

  @Test
  void exactCountOnAtLeast95PercentOfScansWithSeeds() {
    long exact = withSeeds.stream().filter(AccuracySuite.Outcome::exact).count();
    assertThat((double) exact / withSeeds.size()).as("exact count on %d of %d", exact, withSeeds.size())
        .isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void recallAndPrecisionAtLeast995Permille() {
    int truth = withSeeds.stream().mapToInt(AccuracySuite.Outcome::truth).sum();
    int detected = withSeeds.stream().mapToInt(AccuracySuite.Outcome::detected).sum();
    int matched = withSeeds.stream().mapToInt(AccuracySuite.Outcome::matched).sum();
    assertThat((double) matched / truth).as("recall").isGreaterThanOrEqualTo(0.995);
    assertThat((double) matched / detected).as("precision").isGreaterThanOrEqualTo(0.995);
  }

  @Test
  void centreErrorForSlicesUpTo2mm() {
    List<Double> errors = withSeeds.stream().filter(o -> o.c().sliceMm() <= 2)
        .flatMap(o -> o.centreErrors().stream()).toList();
    assertThat(AccuracySuite.percentile(errors, 0.5)).isLessThanOrEqualTo(0.3);
    assertThat(AccuracySuite.percentile(errors, 0.95)).isLessThanOrEqualTo(0.8);
  }

  @Test
  void noSeedOnTheScansWithoutSeeds() {
    List<AccuracySuite.Outcome> none = ALL.stream().filter(o -> o.truth() == 0).toList();
    assertThat(none).isNotEmpty();
    assertThat(none).allSatisfy(o -> assertThat(o.detected()).as(o.c().name()).isZero());
  }
}
