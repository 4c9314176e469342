package io.seedtrace.detection;

import io.seedtrace.detection.phantom.scanned.ScannedSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The accuracy targets on the second phantom generator ({@code phantom.scanned}: another
 * anatomy, seeds of two designs, CT simulated by projection and filtered back-projection of the
 * whole slice), written by someone who had not seen the detector's rules, over three sets the rules
 * were never worked out on. Runs with {@code ./mvnw -pl detection test -Ptargets}; prints the table
 * of each set and asserts the targets as written.
 */
@Tag("targets")
class ScannedTargetsTest extends AccuracyTargets {

  static final long[] BASES = {1, 2, 3};
  static final List<AccuracySuite.Outcome> ALL = new ArrayList<>();

  @BeforeAll
  static void run() throws Exception {
    SeedDetector detector = new SeedDetector(DetectorSettings.defaults());
    for (long base : BASES) {
      List<AccuracySuite.Outcome> set = AccuracySuite.runAll(scannedCases(base), detector);
      AccuracySuite.print("scanned generator, set " + base, set);
      ALL.addAll(set);
    }
    AccuracySuite.print("scanned generator, all " + BASES.length + " sets", ALL, false);
  }

  /** The second generator's cases of one set, as accuracy cases. */
  static List<AccuracySuite.Case> scannedCases(long base) {
    return ScannedSuite.cases(base).stream().map(c -> new AccuracySuite.Case("scanned " + c.name(),
        c.spec().sliceThicknessMm(), c::generate)).toList();
  }

  @Override
  List<AccuracySuite.Outcome> all() {
    return ALL;
  }
}
