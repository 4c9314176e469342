package io.seedtrace.server.security.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per key (who, from where). After {@code freeFailures} failures the key has to wait
 * {@code firstBackoff} before its next try, twice as long after each further failure, at most
 * {@code maxBackoff}; a success forgets the key. Keys that have waited out their longest backoff are
 * dropped, so the table stays small.
 */
final class SignInBackoff {

  private record State(int failures, Instant lastFailure, Instant blockedUntil) {}

  private static final int SWEEP_ABOVE = 10_000;

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final HttpProperties.SignInThrottle settings;
  private final Clock clock;

  SignInBackoff(HttpProperties.SignInThrottle settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** How long {@code key} still has to wait before its next try; empty when it may try now. */
  Optional<Duration> wait(String key) {
    State state = states.get(key);
    Instant now = clock.instant();
    if (state == null || !state.blockedUntil().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, state.blockedUntil()));
  }

  void failed(String key) {
    Instant now = clock.instant();
    states.compute(key, (k, old) -> {
      int failures = old == null ? 1 : old.failures() + 1;
      return new State(failures, now, now.plus(backoffAfter(failures)));
    });
    if (states.size() > SWEEP_ABOVE) {
      Instant stale = now.minus(settings.maxBackoff());
      states.values().removeIf(s -> s.lastFailure().isBefore(stale) && !s.blockedUntil().isAfter(now));
    }
  }

  void succeeded(String key) {
    states.remove(key);
  }

  private Duration backoffAfter(int failures) {
    int over = failures - settings.freeFailures();
    if (over < 0) {
      return Duration.ZERO;
    }
    Duration wait = settings.firstBackoff().multipliedBy(1L << Math.min(over, 20));
    return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
  }
}
