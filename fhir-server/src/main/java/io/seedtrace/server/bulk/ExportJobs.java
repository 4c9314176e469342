package io.seedtrace.server.bulk;

import io.seedtrace.server.database.SchemaStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Bulk Data exports and their output, in the database every node shares: any node answers the
 * status of an export another node accepted, runs it, or serves its files. An output file is
 * stored as numbered parts of NDJSON (each at most about {@link BulkExportProperties#partSize()}),
 * so neither writing nor downloading holds a whole file in memory. Times are epoch milliseconds.
 *
 * <p>A node runs an export only while it holds it: it takes it by a conditional update that one node
 * only can win (the claim, with a lease), renews the lease as it makes progress, and writes the
 * result only while its claim stands. A deleted (cancelled) export therefore stops at its next step.
 */
public final class ExportJobs {

  /** One output file: its number, resource type and number of resources. */
  public record OutputFile(int fileNo, String type, long count) {}

  private static final String COLUMNS = "id, client_id, request_url, export_level, group_id, types, since_ms,"
      + " transaction_ms, sees_restricted, status, progress, created_ms, expires_ms, error";

  private final JdbcTemplate jdbc;

  public ExportJobs(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    SchemaStatements.run(jdbc,
        "CREATE TABLE IF NOT EXISTS st_bulk_export (id VARCHAR(36) PRIMARY KEY, client_id VARCHAR(200) NOT NULL,"
        + " request_url VARCHAR(4000) NOT NULL, export_level VARCHAR(16) NOT NULL, group_id VARCHAR(64),"
        + " types VARCHAR(8000) NOT NULL, since_ms BIGINT, transaction_ms BIGINT NOT NULL, sees_restricted BOOLEAN NOT NULL,"
        + " status VARCHAR(16) NOT NULL, progress VARCHAR(200), lease_owner VARCHAR(64), lease_until_ms BIGINT,"
        + " created_ms BIGINT NOT NULL, expires_ms BIGINT, error VARCHAR(1000))",
        "CREATE INDEX IF NOT EXISTS st_bulk_export_by_client ON st_bulk_export (client_id, status)",
        "CREATE TABLE IF NOT EXISTS st_bulk_export_part (job_id VARCHAR(36) NOT NULL, file_no INT NOT NULL,"
        + " part_no INT NOT NULL, resource_type VARCHAR(64) NOT NULL, resource_count INT NOT NULL, content BYTEA NOT NULL,"
        + " PRIMARY KEY (job_id, file_no, part_no))");
  }

  public void insert(ExportJob job) {
    jdbc.update("INSERT INTO st_bulk_export (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        job.id(), job.clientId(), job.requestUrl(), job.level().name(), job.groupId(), String.join(",", job.types()),
        millis(job.since()), millis(job.transactionTime()), job.seesRestricted(), job.status().name(), job.progress(),
        millis(job.createdAt()), millis(job.expiresAt()), job.error());
  }

  /** Exports of the client that wait or run. */
  public int activeCount(String clientId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM st_bulk_export WHERE client_id = ? AND status IN ('ACCEPTED', 'RUNNING')",
        Integer.class, clientId);
  }

  public Optional<ExportJob> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM st_bulk_export WHERE id = ?", (rs, i) -> job(rs), id).stream()
        .findFirst();
  }

  /** Deletes the export and its files; a node running it stops at its next step. */
  public boolean delete(String id) {
    int deleted = jdbc.update("DELETE FROM st_bulk_export WHERE id = ?", id);
    jdbc.update("DELETE FROM st_bulk_export_part WHERE job_id = ?", id);
    return deleted > 0;
  }

  /**
   * Takes the oldest waiting export, or a running one whose holder's lease ran out, for {@code owner}
   * until {@code leaseUntil}; a taken-over export starts again from nothing.
   */
  public Optional<ExportJob> claimNext(String owner, Instant now, Instant leaseUntil) {
    List<String> candidates = jdbc.queryForList("SELECT id FROM st_bulk_export WHERE status = 'ACCEPTED'"
        + " OR (status = 'RUNNING' AND lease_until_ms < ?) ORDER BY created_ms FETCH FIRST 10 ROWS ONLY",
        String.class, now.toEpochMilli());
    for (String id : candidates) {
      int claimed = jdbc.update("UPDATE st_bulk_export SET status = 'RUNNING', lease_owner = ?, lease_until_ms = ?,"
          + " progress = 'started' WHERE id = ? AND (status = 'ACCEPTED' OR (status = 'RUNNING' AND lease_until_ms < ?))",
          owner, leaseUntil.toEpochMilli(), id, now.toEpochMilli());
      if (claimed == 1) {
        jdbc.update("DELETE FROM st_bulk_export_part WHERE job_id = ?", id);
        return find(id);
      }
    }
    return Optional.empty();
  }

  /** Renews the lease and records progress; false when the claim no longer stands (deleted, taken over). */
  public boolean renew(String id, String owner, Instant leaseUntil, String progress) {
    return jdbc.update("UPDATE st_bulk_export SET lease_until_ms = ?, progress = ? WHERE id = ? AND lease_owner = ?"
        + " AND status = 'RUNNING'", leaseUntil.toEpochMilli(), progress, id, owner) == 1;
  }

  public void appendPart(String id, int fileNo, int partNo, String type, int count, byte[] ndjson) {
    jdbc.update("INSERT INTO st_bulk_export_part (job_id, file_no, part_no, resource_type, resource_count, content)"
        + " VALUES (?, ?, ?, ?, ?, ?)", id, fileNo, partNo, type, count, ndjson);
  }

  /** Ends a held export as completed or failed; false (and its parts deleted) if the claim no longer stands. */
  public boolean finish(String id, String owner, ExportJob.Status status, Instant expiresAt, String error) {
    boolean finished = jdbc.update("UPDATE st_bulk_export SET status = ?, expires_ms = ?, error = ?, progress = NULL,"
        + " lease_owner = NULL, lease_until_ms = NULL WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'",
        status.name(), expiresAt.toEpochMilli(), error, id, owner) == 1;
    if (!finished) {
      abandon(id);
    }
    return finished;
  }

  /** Deletes what a node wrote for an export it no longer holds, unless another node holds it now. */
  public void abandon(String id) {
    jdbc.update("DELETE FROM st_bulk_export_part WHERE job_id = ? AND NOT EXISTS"
        + " (SELECT 1 FROM st_bulk_export WHERE id = ? AND status IN ('RUNNING', 'COMPLETED'))", id, id);
  }

  /** The output files of an export, in order. */
  public List<OutputFile> files(String id) {
    return jdbc.query("SELECT file_no, resource_type, SUM(resource_count) FROM st_bulk_export_part WHERE job_id = ?"
        + " GROUP BY file_no, resource_type ORDER BY file_no",
        (rs, i) -> new OutputFile(rs.getInt(1), rs.getString(2), rs.getLong(3)), id);
  }

  public List<Integer> partNumbers(String id, int fileNo) {
    return jdbc.queryForList("SELECT part_no FROM st_bulk_export_part WHERE job_id = ? AND file_no = ? ORDER BY part_no",
        Integer.class, id, fileNo);
  }

  public byte[] part(String id, int fileNo, int partNo) {
    return jdbc.queryForObject("SELECT content FROM st_bulk_export_part WHERE job_id = ? AND file_no = ? AND part_no = ?",
        byte[].class, id, fileNo, partNo);
  }

  /** Deletes finished exports past their expiry, and parts left by exports deleted meanwhile. */
  public int deleteExpired(Instant now) {
    int expired = jdbc.update("DELETE FROM st_bulk_export WHERE expires_ms < ?", now.toEpochMilli());
    jdbc.update("DELETE FROM st_bulk_export_part WHERE NOT EXISTS (SELECT 1 FROM st_bulk_export e"
        + " WHERE e.id = st_bulk_export_part.job_id)");
    return expired;
  }

  private static ExportJob job(ResultSet rs) throws SQLException {
    String types = rs.getString("types");
    return new ExportJob(rs.getString("id"), rs.getString("client_id"), rs.getString("request_url"),
        ExportJob.Level.valueOf(rs.getString("export_level")), rs.getString("group_id"),
        types.isEmpty() ? List.of() : Arrays.asList(types.split(",")), instant(rs, "since_ms"),
        instant(rs, "transaction_ms"), rs.getBoolean("sees_restricted"), ExportJob.Status.valueOf(rs.getString("status")),
        rs.getString("progress"), instant(rs, "created_ms"), instant(rs, "expires_ms"), rs.getString("error"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
