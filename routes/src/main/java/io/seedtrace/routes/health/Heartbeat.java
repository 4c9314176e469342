package io.seedtrace.routes.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The integration hub's pulse: the heartbeat route calls {@link #beat()} on every tick, and the
 * server's health endpoint asks {@link #isAlive(Duration)}. A Camel context that stopped
 * routing (exhausted threads, a stuck route, a stopped context) stops beating and shows as DOWN.
 */
public final class Heartbeat {

  private final Clock clock;
  private final Instant started;
  private final AtomicLong beats = new AtomicLong();
  private final AtomicReference<Instant> last = new AtomicReference<>();

  public Heartbeat(Clock clock) {
    this.clock = clock;
    this.started = clock.instant();
  }

  /** Records one beat; called by the heartbeat route. */
  public void beat() {
    beats.incrementAndGet();
    last.set(clock.instant());
  }

  public long beats() {
    return beats.get();
  }

  /** The time of the last beat, or null before the first. */
  public Instant lastBeat() {
    return last.get();
  }

  /**
   * Whether a beat happened within {@code tolerance} of now; right after start-up (before the
   * first tick is due) the hub counts as alive.
   */
  public boolean isAlive(Duration tolerance) {
    Instant now = clock.instant();
    Instant reference = last.get() == null ? started : last.get();
    return !reference.plus(tolerance).isBefore(now);
  }
}
