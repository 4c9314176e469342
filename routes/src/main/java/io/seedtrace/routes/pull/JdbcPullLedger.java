package io.seedtrace.routes.pull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pull rule's state in the application database ({@code st_ct_pull}): one row per overdue
 * implant, so every node on the same database sees that an implant's CT is being or was pulled.
 * A node takes an implant with a conditional update that succeeds for one node only and holds a
 * lease; a failed attempt sets the next one after a doubling pause, and after the last attempt the
 * row says the rule gave up, with the last error, for the operations page.
 *
 * <pre>{@code
 * JdbcPullLedger ledger = new JdbcPullLedger(dataSource, "node-a", settings, clock);
 * ledger.register(implant);
 * for (PullRecord r : ledger.claimDue(5)) { ...; ledger.moved(r.procedure(), "2 series, 240 instances"); }
 * }</pre>
 *
 * @throws IllegalStateException from every method when the database fails (the next round retries)
 */
public final class JdbcPullLedger {

  /** The table and its index; every statement can run again. */
  public static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS st_ct_pull (procedure_ref VARCHAR(200) PRIMARY KEY, patient_id VARCHAR(64),"
          + " performed_at TIMESTAMP NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,"
          + " created_at TIMESTAMP NOT NULL, next_attempt_at TIMESTAMP NOT NULL, lease_owner VARCHAR(300),"
          + " lease_until TIMESTAMP, last_error VARCHAR(1000), outcome VARCHAR(1000), updated_at TIMESTAMP NOT NULL)",
      "CREATE INDEX IF NOT EXISTS st_ct_pull_due ON st_ct_pull (status, next_attempt_at)");

  /** States of a row. */
  public static final String PENDING = "PENDING";
  public static final String MOVED = "MOVED";
  public static final String NOT_NEEDED = "NOT_NEEDED";
  public static final String GAVE_UP = "GAVE_UP";

  /** One implant's pull as recorded. */
  public record PullRecord(String procedure, String patientId, Instant performedAt, String status, int attempts,
      Instant nextAttemptAt, String leaseOwner, String lastError, String outcome, Instant updatedAt) {}

  private static final String COLUMNS = "procedure_ref, patient_id, performed_at, status, attempts, next_attempt_at,"
      + " lease_owner, last_error, outcome, updated_at";

  private final javax.sql.DataSource dataSource;
  private final String node;
  private final PullSettings settings;
  private final Clock clock;

  public JdbcPullLedger(javax.sql.DataSource dataSource, String node, PullSettings settings, Clock clock) {
    this.dataSource = dataSource;
    this.node = node.length() <= 300 ? node : node.substring(node.length() - 300);
    this.settings = settings;
    this.clock = clock;
  }

  /** Records an overdue implant once; true when it was new. */
  public boolean register(AwaitedImplant implant) {
    if (find(implant.procedure()).isPresent()) {
      return false;
    }
    Timestamp now = now();
    try {
      return update("INSERT INTO st_ct_pull (procedure_ref, patient_id, performed_at, status, attempts, created_at,"
          + " next_attempt_at, updated_at) VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?)", implant.procedure(),
          implant.dicomPatientId(), Timestamp.from(implant.performedAt()), now, now, now) == 1;
    } catch (IllegalStateException raced) {
      if (find(implant.procedure()).isPresent()) {
        return false; // another node registered it first
      }
      throw raced;
    }
  }

  /** Takes up to {@code max} implants whose attempt is due and that no other node holds. */
  public List<PullRecord> claimDue(int max) {
    Timestamp now = now();
    List<PullRecord> claimed = new ArrayList<>();
    for (PullRecord due : rows("WHERE status = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR"
        + " lease_until <= ?) ORDER BY next_attempt_at, procedure_ref", max, now, now)) {
      if (update("UPDATE st_ct_pull SET lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?"
          + " WHERE procedure_ref = ? AND status = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL"
          + " OR lease_until <= ?)", node, Timestamp.from(clock.instant().plus(settings.lease())), now,
          due.procedure(), now, now) == 1) {
        claimed.add(find(due.procedure()).orElseThrow());
      }
    }
    return claimed;
  }

  /** The CT was moved to us; the verification goes on as for a pushed CT. */
  public void moved(String procedure, String outcome) {
    end(procedure, MOVED, outcome);
  }

  /** The implant was verified before its pull (its CT arrived otherwise). */
  public void notNeeded(String procedure) {
    end(procedure, NOT_NEEDED, "verified before the pull");
  }

  /**
   * An attempt failed (PACS down, no CT found yet, a move that failed); the next one comes after
   * the backoff, or the rule gives up after the last. Returns true when it gave up.
   */
  public boolean failed(String procedure, int attempt, String error) {
    String why = cut(error == null ? "unknown error" : error);
    if (attempt >= settings.maxAttempts()) {
      update("UPDATE st_ct_pull SET status = 'GAVE_UP', last_error = ?, lease_owner = NULL, lease_until = NULL,"
          + " updated_at = ? WHERE procedure_ref = ? AND lease_owner = ?", why, now(), procedure, node);
      return true;
    }
    update("UPDATE st_ct_pull SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL,"
        + " updated_at = ? WHERE procedure_ref = ? AND lease_owner = ?",
        Timestamp.from(clock.instant().plus(settings.backoffAfter(attempt))), why, now(), procedure, node);
    return false;
  }

  private void end(String procedure, String status, String outcome) {
    update("UPDATE st_ct_pull SET status = ?, outcome = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?"
        + " WHERE procedure_ref = ? AND lease_owner = ?", status, cut(outcome), now(), procedure, node);
  }

  /** The implants recorded that were performed at or after {@code from}, whatever their state. */
  public Set<String> known(Instant from) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT procedure_ref FROM st_ct_pull WHERE performed_at >= ?")) {
      s.setTimestamp(1, Timestamp.from(from));
      Set<String> known = new HashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          known.add(rs.getString(1));
        }
      }
      return known;
    } catch (SQLException e) {
      throw new IllegalStateException("reading st_ct_pull failed: " + e.getMessage(), e);
    }
  }

  public Optional<PullRecord> find(String procedure) {
    return rows("WHERE procedure_ref = ?", 1, procedure).stream().findFirst();
  }

  /** The most recently changed rows, for the operations page. */
  public List<PullRecord> recent(int max) {
    return rows("ORDER BY updated_at DESC, procedure_ref", max);
  }

  private List<PullRecord> rows(String where, int max, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM st_ct_pull " + where + " FETCH FIRST " + Math.max(1, max) + " ROWS ONLY")) {
      bind(s, args);
      List<PullRecord> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(new PullRecord(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
              rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8), rs.getString(9),
              rs.getTimestamp(10).toInstant()));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("reading st_ct_pull failed: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("updating st_ct_pull failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }

  private Timestamp now() {
    return Timestamp.from(clock.instant());
  }

  private static String cut(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
