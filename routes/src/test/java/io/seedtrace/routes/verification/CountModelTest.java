package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The count balance L0 = L1 + L2 + L3 and how an uncertain detector count is reported. */
class CountModelTest {

  private static CountModel counts(int imaged, int min, int max) {
    return new CountModel(OptionalInt.of(30), imaged, min, max, OptionalInt.of(0), OptionalInt.of(2));
  }

  @Test
  void aBalancedCountRaisesNothing() {
    assertThat(counts(28, 28, 28).alarms()).isEmpty();
  }

  @Test
  void aCertainShortCountIsAMismatchWithAllFourNumbers() {
    CountModel c = counts(27, 27, 27);
    assertThat(c.alarmKind()).isEqualTo("count-mismatch");
    assertThat(c.alarms()).singleElement().asString().startsWith("Count mismatch: shipped L0 = 30, imaged L1 = 27,"
        + " remaining L2 = 0, removed L3 = 2; 1 seed unaccounted for.");
  }

  @Test
  void anUncertainCountWhoseRangeHoldsTheBalanceIsNoMissingSeedAlarm() {
    CountModel c = counts(25, 25, 29);
    assertThat(c.alarmKind()).isEqualTo("count-uncertain");
    assertThat(c.alarms()).singleElement().asString().startsWith("Count uncertain:")
        .contains("25-29").contains("No seed is known to be missing").doesNotContain("unaccounted");
  }

  @Test
  void anUncertainCountWhoseRangeMissesTheBalanceIsStillAMismatch() {
    CountModel c = counts(20, 20, 22);
    assertThat(c.alarmKind()).isEqualTo("count-mismatch");
    assertThat(c.alarms()).singleElement().asString().contains("8 seeds unaccounted for")
        .contains("even its range does not balance");
  }
}
