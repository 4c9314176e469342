package io.seedtrace.detection;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The suite on a plain 12-bit scale: the same three sets as {@code DetectionTargetsTest}, every
 * voxel of the generated volume clamped at {@value #CLAMP_HU} HU after generation (stored 4095 with
 * intercept -1024), as many scanners store CT. Metal no longer shows its true density there, so the
 * gold fiducial cannot be told by its peak (it is told by the volume it saturates). Prints the
 * per-case tables and SUMMARY lines and asserts the targets ({@link AccuracyTargets}). Runs with {@code ./mvnw -pl detection test -Ptargets}.
 */
@Tag("targets")
class ClampedScaleTargetsTest extends AccuracyTargets {

  static final int CLAMP_HU = 3071;
  static final List<AccuracySuite.Outcome> ALL = new ArrayList<>();

  @BeforeAll
  static void run() throws Exception {
    SeedDetector detector = new SeedDetector(DetectorSettings.defaults());
    for (long base : AccuracySuite.TARGET_BASES) {
      List<AccuracySuite.Outcome> set = AccuracySuite.runAll(AccuracySuite.cases(base), detector, CLAMP_HU);
      AccuracySuite.print("clamped at " + CLAMP_HU + " HU, base " + base, set);
      ALL.addAll(set);
    }
    AccuracySuite.print("clamped at " + CLAMP_HU + " HU, all " + AccuracySuite.TARGET_BASES.length + " sets", ALL,
        false);
  }

  @Override
  List<AccuracySuite.Outcome> all() {
    return ALL;
  }
}
