package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The verification queue as a table of the application database ({@code st_study_queue}): the
 * default, so one node needs nothing else, and several nodes on one PostgreSQL share the work.
 * A study is claimed with a conditional update that succeeds for one node only and sets a lease;
 * the lease is renewed while the node works and runs out when it dies. Two versions of one series
 * are never verified at the same time (the later one supersedes the earlier's report). A study's
 * files are in the spool of the node that received it: unless the spools are shared, only that
 * node (also after its restart) takes the study.
 *
 * <pre>{@code
 * JdbcStudyQueue queue = new JdbcStudyQueue(dataSource, "node-a", false, Duration.ofSeconds(30), 5,
 *     Duration.ofSeconds(10), clock);
 * JdbcStudyQueue.SCHEMA.forEach(sql -> ...);   // once at start
 * queue.offer(event);
 * queue.claim().ifPresent(study -> { ...; queue.done(study); });
 * }</pre>
 *
 * @throws IllegalStateException from every method when the database fails (the caller retries)
 */
public final class JdbcStudyQueue implements StudyQueue {

  /** The table and its index; every statement can run again. */
  public static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS st_study_queue (verification_id VARCHAR(200) PRIMARY KEY,"
          + " series_uid VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,"
          + " payload VARCHAR(4000000) NOT NULL, queued_at TIMESTAMP NOT NULL, next_attempt_at TIMESTAMP NOT NULL,"
          + " origin VARCHAR(300) NOT NULL, lease_owner VARCHAR(64), lease_until TIMESTAMP,"
          + " last_error VARCHAR(1000), patient_key VARCHAR(200))",
      "ALTER TABLE st_study_queue ADD COLUMN IF NOT EXISTS patient_key VARCHAR(200)",
      "CREATE INDEX IF NOT EXISTS st_study_queue_due ON st_study_queue (status, next_attempt_at)");

  private static final int CANDIDATES = 10;

  private static final String DUE = "SELECT q.verification_id FROM st_study_queue q WHERE q.status = 'PENDING'"
      + " AND (? OR q.origin = ?)"
      + " AND q.next_attempt_at <= ? AND (q.lease_until IS NULL OR q.lease_until <= ?)"
      + " AND NOT EXISTS (SELECT 1 FROM st_study_queue o WHERE o.series_uid = q.series_uid AND o.status = 'PENDING'"
      + " AND o.lease_until > ?)"
      + " AND NOT EXISTS (SELECT 1 FROM st_study_queue e WHERE e.patient_key = q.patient_key AND e.status = 'PENDING'"
      + " AND (e.queued_at < q.queued_at OR (e.queued_at = q.queued_at AND e.verification_id < q.verification_id)))"
      + " ORDER BY q.queued_at, q.verification_id FETCH FIRST " + CANDIDATES + " ROWS ONLY";

  private static final String CLAIM = "UPDATE st_study_queue SET lease_owner = ?, lease_until = ?,"
      + " attempts = attempts + 1 WHERE verification_id = ? AND status = 'PENDING' AND next_attempt_at <= ?"
      + " AND (lease_until IS NULL OR lease_until <= ?)";

  private static final String HELD = " WHERE verification_id = ? AND lease_owner = ? AND status = 'PENDING'";

  private final DataSource dataSource;
  private final String node;
  private final boolean anyOrigin;
  private final Duration lease;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Clock clock;

  /**
   * @param node this node's name, the same after a restart: a study is queued with the name of the
   *     node whose spool holds its files
   * @param anyOrigin true when every node reads every spool (shared storage, same paths): a node
   *     takes any study; false: a node takes the studies of its own spool only
   * @param lease how long a claim holds without renewal
   * @param maxAttempts attempts after which a study is given up on (status {@code DEAD})
   * @param initialBackoff the pause after the first failed attempt; it doubles with each further one
   */
  public JdbcStudyQueue(DataSource dataSource, String node, boolean anyOrigin, Duration lease, int maxAttempts,
      Duration initialBackoff, Clock clock) {
    if (lease.isNegative() || lease.isZero() || maxAttempts < 1) {
      throw new IllegalArgumentException("the lease must be positive and at least one attempt allowed, got " + lease
          + " and " + maxAttempts);
    }
    this.dataSource = dataSource;
    this.node = node;
    this.anyOrigin = anyOrigin;
    this.lease = lease;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.clock = clock;
  }

  @Override
  public void offer(SeriesStableEvent event) {
    String id = QueuedStudy.verificationId(event);
    Timestamp now = Timestamp.from(clock.instant());
    String payload = StudyMessage.encode(event);
    if (update("UPDATE st_study_queue SET status = 'PENDING', attempts = 0, next_attempt_at = ?, payload = ?,"
        + " last_error = NULL WHERE verification_id = ? AND status = 'DEAD'", now, payload, id) == 1) {
      return;
    }
    try {
      update("INSERT INTO st_study_queue (verification_id, series_uid, status, attempts, payload, queued_at,"
          + " next_attempt_at, origin, patient_key) VALUES (?, ?, 'PENDING', 0, ?, ?, ?, ?, ?)", id, event.seriesUid(),
          payload, now, now, node, patientKey(event));
    } catch (IllegalStateException queued) {
      if (!exists(id)) {
        throw queued;
      }
    }
  }

  /**
   * The studies of one patient are verified one at a time, in the order they came: their reports
   * reach the EHR in that order (the outbox keeps each patient's order of what it is given). A
   * series without a patient id stands alone.
   */
  static String patientKey(SeriesStableEvent event) {
    String patient = event.patientId() == null ? "" : event.patientId().strip();
    String key = patient.isEmpty() ? "series:" + event.seriesUid() : "patient:" + patient;
    return key.length() <= 200 ? key : key.substring(0, 200);
  }

  @Override
  public Optional<QueuedStudy> claim() {
    Timestamp now = Timestamp.from(clock.instant());
    for (String id : query(DUE, anyOrigin, node, now, now, now)) {
      String token = UUID.randomUUID().toString();
      if (update(CLAIM, token, Timestamp.from(clock.instant().plus(lease)), id, now, now) == 1) {
        return Optional.of(read(id, token));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean renew(QueuedStudy study) {
    return update("UPDATE st_study_queue SET lease_until = ?" + HELD, Timestamp.from(clock.instant().plus(lease)),
        study.verificationId(), study.claim()) == 1;
  }

  @Override
  public void done(QueuedStudy study) {
    update("UPDATE st_study_queue SET status = 'DONE', lease_owner = NULL, lease_until = NULL, last_error = NULL"
        + HELD, study.verificationId(), study.claim());
  }

  @Override
  public boolean failed(QueuedStudy study, String error) {
    String why = error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
    if (study.attempt() >= maxAttempts) {
      return update("UPDATE st_study_queue SET status = 'DEAD', last_error = ?, lease_owner = NULL, lease_until = NULL"
          + HELD, why, study.verificationId(), study.claim()) == 1;
    }
    Duration pause = initialBackoff.multipliedBy(1L << Math.min(study.attempt() - 1, 16));
    update("UPDATE st_study_queue SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL"
        + HELD, Timestamp.from(clock.instant().plus(pause)), why, study.verificationId(), study.claim());
    return false;
  }

  /** How many studies are in a status ({@code PENDING}, {@code DONE} or {@code DEAD}). */
  public int count(String status) {
    return query("SELECT verification_id FROM st_study_queue WHERE status = ?", status).size();
  }

  /** The queue status of a study, if queued. */
  public Optional<String> status(String verificationId) {
    return query("SELECT status FROM st_study_queue WHERE verification_id = ?", verificationId).stream().findFirst();
  }

  private boolean exists(String id) {
    return status(id).isPresent();
  }

  private QueuedStudy read(String id, String token) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT payload, attempts FROM st_study_queue WHERE verification_id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("queued study " + id + " vanished after its claim");
        }
        return new QueuedStudy(id, StudyMessage.decode(rs.getString(1)), rs.getInt(2), token);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading queued study " + id + " failed: " + e.getMessage(), e);
    }
  }

  private List<String> query(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      List<String> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("the verification queue failed: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the verification queue failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }
}
