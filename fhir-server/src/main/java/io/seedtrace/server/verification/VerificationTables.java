package io.seedtrace.server.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.routes.verification.VerificationLedger;
import io.seedtrace.server.database.SchemaStatements;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the verification keeps outside FHIR: one row per CT series version (series UID and instance
 * count) with its state, so a repeated event after a crash verifies a study exactly once; and the
 * RT objects received (plans, structure sets, registrations) by patient, as plan sources; and the
 * seed-by-seed figures of each verification with a report ({@link SeedFigures}, as JSON).
 */
public final class VerificationTables implements VerificationLedger {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;

  public VerificationTables(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    SchemaStatements.run(jdbc,
        "CREATE TABLE IF NOT EXISTS st_verification (verification_id VARCHAR(200) PRIMARY KEY,"
        + " series_uid VARCHAR(64) NOT NULL, study_uid VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,"
        + " attempts INT NOT NULL, received_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, outcome VARCHAR(2000),"
        + " report_id VARCHAR(100), timings VARCHAR(1000))",
        "CREATE INDEX IF NOT EXISTS st_verification_by_series ON st_verification (series_uid)",
        "CREATE TABLE IF NOT EXISTS st_rt_object (sop_uid VARCHAR(64) PRIMARY KEY, kind VARCHAR(16) NOT NULL,"
        + " patient_id VARCHAR(64), study_uid VARCHAR(64), frame_of_reference VARCHAR(64), path VARCHAR(1000) NOT NULL,"
        + " received_at TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS st_verification_figures (verification_id VARCHAR(200) PRIMARY KEY,"
        + " figures BYTEA NOT NULL)",
        "CREATE TABLE IF NOT EXISTS st_verification_picture (verification_id VARCHAR(200) NOT NULL,"
        + " name VARCHAR(64) NOT NULL, caption VARCHAR(300) NOT NULL, png BYTEA NOT NULL,"
        + " PRIMARY KEY (verification_id, name))");
  }

  /** A verification as recorded. */
  public record Row(String verificationId, String seriesUid, String studyUid, String status, int attempts,
      Instant receivedAt, Instant finishedAt, String outcome, String reportId, String timings) {}

  public Optional<Row> find(String verificationId) {
    return jdbc.query("SELECT verification_id, series_uid, study_uid, status, attempts, received_at, finished_at,"
        + " outcome, report_id, timings FROM st_verification WHERE verification_id = ?", this::row, verificationId)
        .stream().findFirst();
  }

  public List<Row> recent(int limit) {
    return jdbc.query("SELECT verification_id, series_uid, study_uid, status, attempts, received_at, finished_at,"
        + " outcome, report_id, timings FROM st_verification ORDER BY received_at DESC", this::row)
        .stream().limit(limit).toList();
  }

  /**
   * The most recent finished verification of a series that produced a report, other than {@code
   * excluding}: the report a new verification of the series supersedes.
   */
  public Optional<Row> latestReportOf(String seriesUid, String excluding) {
    return jdbc.query("SELECT verification_id, series_uid, study_uid, status, attempts, received_at, finished_at,"
        + " outcome, report_id, timings FROM st_verification WHERE series_uid = ? AND verification_id <> ?"
        + " AND report_id IS NOT NULL AND finished_at IS NOT NULL ORDER BY finished_at DESC", this::row, seriesUid,
        excluding).stream().findFirst();
  }

  /** A verification whose report a later one replaced. */
  public void superseded(String verificationId, String by) {
    jdbc.update("UPDATE st_verification SET status = 'SUPERSEDED' WHERE verification_id = ? AND verification_id <> ?",
        verificationId, by);
  }

  private Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
        rs.getString(8), rs.getString(9), rs.getString(10));
  }

  /** A verification ended with an outcome; one that is running or failed may run again. */
  @Override
  public boolean finished(String verificationId) {
    return find(verificationId).map(r -> !r.status().equals("RUNNING") && !r.status().equals("FAILED"))
        .orElse(false);
  }

  @Override
  public void gaveUp(String verificationId, String error) {
    finished(verificationId, "FAILED", "The verification was given up after its last attempt: " + error, null, null);
  }

  /** Marks the start of an attempt (a first one, or a repeat after a crash or a failure). */
  @Override
  public void started(String verificationId, String seriesUid, String studyUid) {
    if (jdbc.update("UPDATE st_verification SET status = 'RUNNING', attempts = attempts + 1 WHERE verification_id = ?",
        verificationId) == 0) {
      jdbc.update("INSERT INTO st_verification (verification_id, series_uid, study_uid, status, attempts, received_at)"
          + " VALUES (?, ?, ?, 'RUNNING', 1, ?)", verificationId, seriesUid, studyUid, Timestamp.from(Instant.now()));
    }
  }

  public void finished(String verificationId, String status, String outcome, String reportId, String timings) {
    jdbc.update("UPDATE st_verification SET status = ?, finished_at = ?, outcome = ?, report_id = ?, timings = ?"
        + " WHERE verification_id = ?", status, Timestamp.from(Instant.now()), cut(outcome, 2000), reportId,
        cut(timings, 1000), verificationId);
  }

  // ---- seed figures

  /** Keeps the figures of a verification (again after a repeat: the last run's are kept). */
  public void saveFigures(String verificationId, SeedFigures figures) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(figures);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("seed figures cannot be written as JSON", e);
    }
    jdbc.update("DELETE FROM st_verification_figures WHERE verification_id = ?", verificationId);
    jdbc.update("INSERT INTO st_verification_figures (verification_id, figures) VALUES (?, ?)", verificationId, json);
  }

  /** The figures of a verification; empty for one that kept none (before they were kept, or without a report). */
  public Optional<SeedFigures> figures(String verificationId) {
    return jdbc.query("SELECT figures FROM st_verification_figures WHERE verification_id = ?",
        (rs, i) -> rs.getBytes(1), verificationId).stream().findFirst().map(VerificationTables::figures);
  }

  private static SeedFigures figures(byte[] json) {
    try {
      return JSON.readValue(json, SeedFigures.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored seed figures cannot be read", e);
    }
  }

  // ---- pictures drawn when the report was printed (dose pictures), for the console

  /** Keeps the pictures of a verification, replacing those of an earlier run. */
  public void savePictures(String verificationId, List<ReportPrinter.Picture> pictures) {
    jdbc.update("DELETE FROM st_verification_picture WHERE verification_id = ?", verificationId);
    for (ReportPrinter.Picture p : pictures) {
      jdbc.update("INSERT INTO st_verification_picture (verification_id, name, caption, png) VALUES (?, ?, ?, ?)",
          verificationId, p.name(), cut(p.caption(), 300), p.png());
    }
  }

  /** The names and captions of a verification's pictures, in name order (without their images). */
  public List<ReportPrinter.Picture> pictureList(String verificationId) {
    return jdbc.query("SELECT name, caption FROM st_verification_picture WHERE verification_id = ? ORDER BY name",
        (rs, i) -> new ReportPrinter.Picture(rs.getString(1), rs.getString(2), new byte[0]), verificationId);
  }

  /** One picture's PNG, if the verification has it. */
  public Optional<byte[]> picture(String verificationId, String name) {
    return jdbc.query("SELECT png FROM st_verification_picture WHERE verification_id = ? AND name = ?",
        (rs, i) -> rs.getBytes(1), verificationId, name).stream().findFirst();
  }

  // ---- RT objects

  /** An RT object received from the PACS. */
  public record RtObject(String sopUid, String kind, String patientId, String studyUid, String frameOfReference,
      String path, Instant receivedAt) {}

  public void saveRtObject(RtObject o) {
    jdbc.update("DELETE FROM st_rt_object WHERE sop_uid = ?", o.sopUid());
    jdbc.update("INSERT INTO st_rt_object (sop_uid, kind, patient_id, study_uid, frame_of_reference, path, received_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", o.sopUid(), o.kind(), o.patientId(), o.studyUid(), o.frameOfReference(),
        o.path(), Timestamp.from(o.receivedAt()));
  }

  /** The RT objects of a patient, newest first. */
  public List<RtObject> rtObjectsOf(String patientId) {
    return jdbc.query("SELECT sop_uid, kind, patient_id, study_uid, frame_of_reference, path, received_at"
        + " FROM st_rt_object WHERE patient_id = ? ORDER BY received_at DESC", (rs, i) -> new RtObject(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getTimestamp(7).toInstant()), patientId);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
