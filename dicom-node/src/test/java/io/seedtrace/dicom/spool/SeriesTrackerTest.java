package io.seedtrace.dicom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quiet time and the grace period for incomplete series, on a clock the test moves. */
class SeriesTrackerTest {

  private static final Duration QUIET = Duration.ofSeconds(5);
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final String SERIES = "1.2.3";

  @TempDir
  Path spool;

  private final MovableClock clock = new MovableClock();
  private final List<SeriesStableEvent> events = new ArrayList<>();

  private SeriesTracker tracker() {
    return new SeriesTracker(spool, QUIET, GRACE, clock, events::add);
  }

  private static void receive(SeriesTracker tracker, double... positions) {
    SeriesCompletenessTest.slicesAt(positions).forEach(tracker::accept);
  }

  @Test
  void aWholeSeriesGoesOutAfterTheQuietTime() {
    SeriesTracker tracker = tracker();
    tracker.carried(SERIES);
    receive(tracker, 0, 1, 2, 3, 4);
    tracker.ended(SERIES, true);
    clock.advance(QUIET);
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().complete()).isTrue();
  }

  @Test
  void aSeriesWithAGapWaitsForTheGracePeriodThenSaysWhatIsMissing() {
    SeriesTracker tracker = tracker();
    receive(tracker, 0, 1, 2, 4, 5);
    clock.advance(QUIET);
    assertThat(tracker.tick()).as("held after the quiet time").isZero();
    clock.advance(GRACE.minus(QUIET));
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().gaps()).containsExactly(
        "1 slice(s) missing between 2.00 and 4.00 mm (spacing 1.00 mm)");
  }

  @Test
  void theMissingSliceArrivingWithinTheGraceMakesTheSeriesWhole() {
    SeriesTracker tracker = tracker();
    receive(tracker, 0, 1, 2, 4, 5);
    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.tick()).isZero();
    SeriesCompletenessTest.slicesAt(3).forEach(tracker::accept);
    clock.advance(QUIET);
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).instanceCount()).isEqualTo(6);
    assertThat(events.get(0).completeness().complete()).isTrue();
  }

  @Test
  void anAbortedAssociationHoldsTheSeriesAndAReleasedResendClearsIt() {
    SeriesTracker tracker = tracker();
    tracker.carried(SERIES);
    receive(tracker, 0, 1, 2);
    tracker.ended(SERIES, false);
    clock.advance(QUIET);
    assertThat(tracker.tick()).isZero();
    tracker.carried(SERIES);
    receive(tracker, 0, 1, 2, 3, 4);
    tracker.ended(SERIES, true);
    clock.advance(QUIET);
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().complete()).isTrue();
  }

  @Test
  void anAbortedTransferWithoutResendGoesOutAsInterruptedAfterTheGrace() {
    SeriesTracker tracker = tracker();
    tracker.carried(SERIES);
    receive(tracker, 0, 1, 2);
    tracker.ended(SERIES, false);
    clock.advance(GRACE);
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().interrupted()).isTrue();
    assertThat(events.get(0).completeness().gaps()).isEmpty();
  }

  @Test
  void aSeriesAnOpenAssociationStillCarriesIsNotStable() {
    SeriesTracker tracker = tracker();
    tracker.carried(SERIES);
    receive(tracker, 0, 1, 2);
    clock.advance(QUIET.multipliedBy(2));
    assertThat(tracker.tick()).isZero();
    tracker.ended(SERIES, true);
    assertThat(tracker.tick()).isEqualTo(1);
  }

  @Test
  void aTransferCutOffByACrashIsInterruptedAfterTheRestart() {
    SeriesTracker before = tracker();
    before.carried(SERIES);
    receive(before, 0, 1, 2);
    // the process dies here: no ended(), no event
    SeriesTracker after = tracker();
    after.recover(SeriesCompletenessTest.slicesAt(0, 1, 2));
    clock.advance(QUIET);
    assertThat(after.tick()).as("waits for the resend").isZero();
    clock.advance(GRACE);
    assertThat(after.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().interrupted()).isTrue();
  }

  @Test
  void withoutAGracePeriodAnIncompleteSeriesGoesOutAfterTheQuietTime() {
    SeriesTracker tracker = new SeriesTracker(spool, QUIET, clock, events::add);
    receive(tracker, 0, 1, 2, 4, 5);
    clock.advance(QUIET);
    assertThat(tracker.tick()).isEqualTo(1);
    assertThat(events.get(0).completeness().complete()).isFalse();
  }

  /** A clock that moves only when told. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
