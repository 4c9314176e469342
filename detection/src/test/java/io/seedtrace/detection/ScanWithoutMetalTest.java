package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.scanned.ScannedSuite;
import org.junit.jupiter.api.Test;

/**
 * A thin-slice scan of an implant on which no seed shows as metal: the patient moved during the
 * scan, and every seed's metal is spread over ghost copies and streaks until none reaches the
 * level metal shows. Nothing can be counted with confidence on such a scan, but neither can the
 * seeds be said to be gone: the count is 0, marked uncertain, with a range that holds the implant,
 * so the verification reports {@code count-uncertain} (look at the images) instead of every seed
 * missing.
 */
class ScanWithoutMetalTest {

  @Test
  void aMotionBlurredImplantIsAnUncertainZeroNotAConfidentOne() throws Exception {
    ScannedSuite.Case motion = ScannedSuite.cases(11).stream()
        .filter(c -> c.name().equals("prostate-motion-soft-3mm")).findFirst().orElseThrow();
    Phantom p = motion.generate();

    DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(p.scan());

    assertThat(r.count()).as("this case is here because none of its seeds shows as metal; if seeds are now found"
        + " on it, choose a case where none is").isZero();
    assertThat(r.countIsCertain()).as("a count of 0 on an implant the scan does not show is not certain").isFalse();
    assertThat(r.maxCount()).as("the count's upper bound holds the %d seeds implanted", p.seeds().size())
        .isGreaterThanOrEqualTo(p.seeds().size());
  }
}
