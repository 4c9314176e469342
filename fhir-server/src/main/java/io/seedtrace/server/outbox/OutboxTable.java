package io.seedtrace.server.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The delivery state every outbox table shares ({@code id, status, attempts, next_attempt_at,
 * last_error, delivered_at, lease_owner, lease_until} and a column that orders a stream: the
 * patient, the subscription, the cartridge), and the one way of claiming and settling its rows.
 *
 * <p>A row is claimed by a conditional update that succeeds for one node only and holds it for a
 * lease; it is settled (delivered, retried later, dead) only while that claim stands. A stream's
 * rows go out in order: a row is not due while an earlier row of its stream is pending, being sent
 * or waiting for its next attempt.
 */
public final class OutboxTable {

  /** Rows looked at per claim attempt; the oldest due ones first. */
  private static final int CANDIDATES = 20;

  /** A row this node holds; only the holder of {@code token} settles it. */
  public record Lease(long id, String token) {}

  private final JdbcTemplate jdbc;
  private final String table;
  private final Clock clock;
  private final String due;
  private final String claim;
  private final String release;
  private volatile Runnable deliverNow = () -> { };

  /**
   * @param table the outbox table
   * @param streamColumn the column whose rows are delivered one after the other, in id order
   */
  public OutboxTable(JdbcTemplate jdbc, String table, String streamColumn, Clock clock) {
    this.jdbc = jdbc;
    this.table = table;
    this.clock = clock;
    this.due = "SELECT o.id FROM " + table + " o WHERE o.status = 'PENDING' AND o.next_attempt_at <= ?"
        + " AND (o.lease_until IS NULL OR o.lease_until <= ?) AND NOT EXISTS (SELECT 1 FROM " + table + " e"
        + " WHERE e." + streamColumn + " = o." + streamColumn + " AND e.status = 'PENDING' AND e.id < o.id)"
        + " ORDER BY o.id FETCH FIRST " + CANDIDATES + " ROWS ONLY";
    this.claim = "UPDATE " + table + " SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?"
        + " AND status = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";
    this.release = ", lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = 'PENDING'";
  }

  /** Takes the oldest due row no node holds and not in {@code tried}, for {@code lease}; or nothing. */
  public Optional<Lease> claimNext(Set<Long> tried, Duration lease) {
    Instant now = clock.instant();
    for (Long id : jdbc.queryForList(due, Long.class, Timestamp.from(now), Timestamp.from(now))) {
      if (tried.contains(id)) {
        continue;
      }
      String token = UUID.randomUUID().toString();
      if (jdbc.update(claim, token, Timestamp.from(now.plus(lease)), id, Timestamp.from(now),
          Timestamp.from(now)) == 1) {
        return Optional.of(new Lease(id, token));
      }
    }
    return Optional.empty();
  }

  /** Marks a held row delivered; false when the claim ran out meanwhile. */
  public boolean delivered(Lease lease) {
    return jdbc.update("UPDATE " + table + " SET status = 'DELIVERED', delivered_at = ?, last_error = NULL" + release,
        Timestamp.from(clock.instant()), lease.id(), lease.token()) == 1;
  }

  /** Puts a held row back, due at {@code next}, with the error of this attempt; false when the claim ran out. */
  public boolean retryAt(Lease lease, Instant next, String error) {
    return jdbc.update("UPDATE " + table + " SET next_attempt_at = ?, last_error = ?" + release,
        Timestamp.from(next), truncate(error), lease.id(), lease.token()) == 1;
  }

  /** Makes a held row a dead letter; false when the claim ran out meanwhile. */
  public boolean dead(Lease lease, String error) {
    return jdbc.update("UPDATE " + table + " SET status = 'DEAD', last_error = ?" + release, truncate(error),
        lease.id(), lease.token()) == 1;
  }

  /** The exponential backoff after {@code attempts} failures: {@code initial} doubled per attempt, at most {@code max}. */
  public static Duration backoff(int attempts, Duration initial, Duration max) {
    Duration d = initial;
    for (int i = 1; i < attempts && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /** Set by the delivery route's consumer: how to deliver what is due at once. */
  public void attach(Runnable deliverNow) {
    this.deliverNow = deliverNow;
  }

  /** Delivers what is due now in the background (when the delivery route runs), instead of at the next poll. */
  public void kick() {
    deliverNow.run();
  }

  public static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
