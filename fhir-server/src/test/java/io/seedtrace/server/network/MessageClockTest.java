package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** A message dated up to 5 minutes ahead is skew; further ahead, or older than an outbox retries, it is refused. */
class MessageClockTest {

  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final Duration RETRIED_FOR = Duration.ofDays(7);

  @Test
  void fiveMinutesAheadAndEightDaysBehindAreAccepted() {
    for (Duration offset : new Duration[] {Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(-8)}) {
      assertThatCode(() -> MessageClock.check(Date.from(NOW.plus(offset)), NOW, RETRIED_FOR)).as(offset.toString())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void furtherAheadOrOlderIsRefusedWithTheReason() {
    assertThatThrownBy(() -> MessageClock.check(Date.from(NOW.plusSeconds(301)), NOW, RETRIED_FOR))
        .isInstanceOf(RefusedMessage.class).hasMessageContaining("more than 5 minutes after this node's clock");
    assertThatThrownBy(() -> MessageClock.check(Date.from(NOW.minus(Duration.ofDays(8)).minusSeconds(1)), NOW,
        RETRIED_FOR)).isInstanceOf(RefusedMessage.class).hasMessageContaining("older than an outbox retries (8 days)");
    assertThatThrownBy(() -> MessageClock.check(null, NOW, RETRIED_FOR)).isInstanceOf(RefusedMessage.class)
        .hasMessageContaining("no timestamp");
  }
}
