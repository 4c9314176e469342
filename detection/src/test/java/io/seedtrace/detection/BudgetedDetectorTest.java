package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A detection past its budget is stopped and reported; the next one runs normally. */
class BudgetedDetectorTest {

  private static Phantom phantom(int size, int slices, int seeds) {
    return PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, size, size, slices, 0.7, 1.0,
        seeds, 0, 0, 0, false, false, 15, 42));
  }

  @Test
  void aDetectionPastItsBudgetIsStoppedAndTheNextOneIsNotHeldUp() throws Exception {
    Phantom large = phantom(512, 120, 60);
    Phantom small = phantom(160, 40, 12);
    BudgetedDetector tight = new BudgetedDetector(new SeedDetector(DetectorSettings.defaults()), Duration.ofMillis(1));
    assertThatThrownBy(() -> tight.detect(large.scan())).isInstanceOf(DetectionTimeoutException.class)
        .hasMessageContaining("did not complete within 1 ms");
    // the stopped detection's thread ends: it answers the interruption
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("seed-detection-") && t.getState() == Thread.State.RUNNABLE));

    BudgetedDetector normal = new BudgetedDetector(new SeedDetector(DetectorSettings.defaults()), Duration.ofSeconds(30));
    DetectionResult r = normal.detect(small.scan());
    assertThat(r.count()).isEqualTo(12);
  }

  @Test
  void aVolumeTheDetectorRefusesIsReportedWithItsReason() {
    short[] hu = new short[256 * 256 * 40];
    for (int v = 0; v < hu.length; v++) {
      hu[v] = (short) ((v % 3 == 0 && (v / 256) % 3 == 0 && (v / (256 * 256)) % 3 == 0) ? 3071 : 40);
    }
    CtScan dots = CtScan.axial(256, 256, 40, 0.7, 0.7, 1.0, new double[3], hu);
    BudgetedDetector detector = new BudgetedDetector(new SeedDetector(DetectorSettings.defaults()), Duration.ofSeconds(30));
    assertThatThrownBy(() -> detector.detect(dots)).isInstanceOf(UnusableScanException.class)
        .hasMessageContaining("separate bright objects");
  }
}
