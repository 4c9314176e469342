package io.seedtrace.core.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConformityCheckTest {

  static final Instant CALIBRATED = Instant.parse("2026-11-20T08:00:00Z");

  @Test
  void halvesEveryHalfLifeAndDoublesBackwards() {
    Instant oneHalfLife = CALIBRATED.plus(Decay.I125_HALF_LIFE);
    assertThat(Decay.activityAt(14.8, CALIBRATED, oneHalfLife)).isCloseTo(7.4, within(1e-9));
    assertThat(Decay.activityAt(14.8, CALIBRATED, CALIBRATED.plus(Decay.I125_HALF_LIFE.multipliedBy(2))))
        .isCloseTo(3.7, within(1e-9));
    assertThat(Decay.activityAt(7.4, oneHalfLife, CALIBRATED)).isCloseTo(14.8, within(1e-9));
    // 4 days after calibration: 14.8 * 2^(-4/59.4) = 14.12 MBq
    assertThat(Decay.activityAt(14.8, CALIBRATED, CALIBRATED.plus(Duration.ofDays(4)))).isCloseTo(14.12, within(0.01));
  }

  @Test
  void usesWhatIsNeededAndCountsTheRestAsSurplus() {
    SeedRequirement need = new SeedRequirement("6711", 14.0, 0.05, 56, CALIBRATED.plus(Duration.ofDays(4)));
    ConformityCheck.Result r = ConformityCheck.check("6711", 60, 14.8, CALIBRATED, need);
    assertThat(r.conforming()).isEqualTo(56);
    assertThat(r.surplus()).isEqualTo(4);
    assertThat(r.removed()).isEqualTo(4);
    assertThat(r.activityPerSeedAtImplantMbq()).isCloseTo(14.12, within(0.01));
  }

  @Test
  void decayedSeedsOutOfToleranceAreNonConformingWithTheReason() {
    SeedRequirement need = new SeedRequirement("6711", 14.0, 0.05, 56, CALIBRATED.plus(Duration.ofDays(30)));
    ConformityCheck.Result r = ConformityCheck.check("6711", 60, 14.8, CALIBRATED, need);
    assertThat(r.conforming()).isZero();
    assertThat(r.nonConforming()).isEqualTo(60);
    assertThat(r.reasons()).singleElement().asString().contains("10.43 MBq").contains("13.30-14.70");
  }

  @Test
  void aWrongModelIsNonConforming() {
    SeedRequirement need = new SeedRequirement("6711", 14.8, 0.05, 10, CALIBRATED);
    ConformityCheck.Result r = ConformityCheck.check("6702", 20, 14.8, CALIBRATED, need);
    assertThat(r.nonConforming()).isEqualTo(20);
    assertThat(r.reasons()).anySatisfy(s -> assertThat(s).contains("not the required 6711"));
  }
}
