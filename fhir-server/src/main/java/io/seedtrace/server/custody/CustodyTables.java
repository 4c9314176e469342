package io.seedtrace.server.custody;

import io.seedtrace.server.database.SchemaStatements;
import io.seedtrace.core.audit.AuditChain;
import io.seedtrace.core.sealing.SealedRecord;
import io.seedtrace.core.trace.MaliciousNodeLibrary;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The custody data that must not live in FHIR resources: the chip payloads as read (for sealing
 * and replay detection), the encrypted sealing records with their wrapped data keys (the key
 * library), the malicious node library and the head of the audit hash chain. Plain SQL tables in
 * the FHIR server's database (H2 or PostgreSQL), created at start-up when missing. Binary values
 * are stored as base64 text so the same DDL runs on both databases.
 */
public final class CustodyTables {

  private final JdbcTemplate jdbc;
  private final DataSource dataSource;

  public CustodyTables(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.dataSource = dataSource;
    SchemaStatements.run(jdbc,
        "CREATE TABLE IF NOT EXISTS st_chip (serial VARCHAR(32) PRIMARY KEY, device_id VARCHAR(64) NOT NULL,"
        + " sha256 VARCHAR(64) NOT NULL, payload VARCHAR(2000) NOT NULL, read_at TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS st_sealing_record (device_id VARCHAR(64) PRIMARY KEY,"
        + " iv VARCHAR(64) NOT NULL, ciphertext VARCHAR(8000) NOT NULL, wrap_iv VARCHAR(64) NOT NULL,"
        + " wrapped_key VARCHAR(128) NOT NULL, key_version INT NOT NULL, sealed_at TIMESTAMP NOT NULL,"
        + " rotated_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS st_pending_trace_key (device_id VARCHAR(64) PRIMARY KEY,"
        + " key_version INT NOT NULL, iv VARCHAR(64) NOT NULL, ciphertext VARCHAR(256) NOT NULL, held_at TIMESTAMP NOT NULL)",
        "CREATE TABLE IF NOT EXISTS st_audit_head (id INT PRIMARY KEY, seq BIGINT NOT NULL,"
        + " hash VARCHAR(64) NOT NULL)");
    startAuditHead();
  }

  // ---- chips

  public record ChipRow(String serial, String deviceId, String sha256, byte[] payload) {}

  public Optional<ChipRow> chip(String serial) {
    return jdbc.query("SELECT serial, device_id, sha256, payload FROM st_chip WHERE serial = ?",
        (rs, i) -> new ChipRow(rs.getString(1), rs.getString(2), rs.getString(3), decode(rs.getString(4))), serial)
        .stream().findFirst();
  }

  public Optional<ChipRow> chipOfDevice(String deviceId) {
    return jdbc.query("SELECT serial, device_id, sha256, payload FROM st_chip WHERE device_id = ?",
        (rs, i) -> new ChipRow(rs.getString(1), rs.getString(2), rs.getString(3), decode(rs.getString(4))), deviceId)
        .stream().findFirst();
  }

  public void saveChip(ChipRow row) {
    int updated = jdbc.update("UPDATE st_chip SET device_id = ?, sha256 = ?, payload = ?, read_at = ? WHERE serial = ?",
        row.deviceId(), row.sha256(), encode(row.payload()), Timestamp.from(Instant.now()), row.serial());
    if (updated == 0) {
      jdbc.update("INSERT INTO st_chip (serial, device_id, sha256, payload, read_at) VALUES (?, ?, ?, ?, ?)",
          row.serial(), row.deviceId(), row.sha256(), encode(row.payload()), Timestamp.from(Instant.now()));
    }
  }

  // ---- sealing records (the key library: one wrapped data key per record)

  public Optional<SealedRecord> sealingRecord(String deviceId) {
    return jdbc.query("SELECT iv, ciphertext, wrap_iv, wrapped_key FROM st_sealing_record WHERE device_id = ?",
        (rs, i) -> new SealedRecord(deviceId, decode(rs.getString(1)), decode(rs.getString(2)), decode(rs.getString(3)),
            decode(rs.getString(4))), deviceId).stream().findFirst();
  }

  public int keyVersion(String deviceId) {
    List<Integer> v = jdbc.queryForList("SELECT key_version FROM st_sealing_record WHERE device_id = ?", Integer.class,
        deviceId);
    return v.isEmpty() ? 0 : v.get(0);
  }

  /** Stores a new sealing record; false if the device is already sealed. */
  public boolean insertSealingRecord(SealedRecord r) {
    try {
      jdbc.update("INSERT INTO st_sealing_record (device_id, iv, ciphertext, wrap_iv, wrapped_key, key_version, sealed_at)"
          + " VALUES (?, ?, ?, ?, ?, 1, ?)", r.cartridgeId(), encode(r.iv()), encode(r.ciphertext()), encode(r.wrapIv()),
          encode(r.wrappedDataKey()), Timestamp.from(Instant.now()));
      return true;
    } catch (org.springframework.dao.DuplicateKeyException sealedAlready) {
      return false;
    }
  }

  /** Replaces the wrapped data key after a rotation; the old trace key no longer unwraps it. */
  public void rewrap(SealedRecord r) {
    jdbc.update("UPDATE st_sealing_record SET wrap_iv = ?, wrapped_key = ?, key_version = key_version + 1,"
        + " rotated_at = ? WHERE device_id = ?", encode(r.wrapIv()), encode(r.wrappedDataKey()),
        Timestamp.from(Instant.now()), r.cartridgeId());
  }

  // ---- rotated trace keys waiting for an administrator (encrypted, see PendingTraceKeys)

  public record PendingKeyRow(String deviceId, int version, byte[] iv, byte[] ciphertext) {}

  public void holdPendingKey(PendingKeyRow row) {
    jdbc.update("DELETE FROM st_pending_trace_key WHERE device_id = ?", row.deviceId());
    jdbc.update("INSERT INTO st_pending_trace_key (device_id, key_version, iv, ciphertext, held_at) VALUES (?, ?, ?, ?, ?)",
        row.deviceId(), row.version(), encode(row.iv()), encode(row.ciphertext()), Timestamp.from(Instant.now()));
  }

  /** Reads and deletes the held key; empty if none, or if a concurrent caller took it first. */
  public Optional<PendingKeyRow> takePendingKey(String deviceId) {
    Optional<PendingKeyRow> row = jdbc.query("SELECT key_version, iv, ciphertext FROM st_pending_trace_key"
        + " WHERE device_id = ?", (rs, i) -> new PendingKeyRow(deviceId, rs.getInt(1), decode(rs.getString(2)),
        decode(rs.getString(3))), deviceId).stream().findFirst();
    return row.filter(r -> jdbc.update("DELETE FROM st_pending_trace_key WHERE device_id = ? AND key_version = ?",
        deviceId, r.version()) == 1);
  }

  // ---- malicious node library (the table is made and read by MaliciousNodeTable; here: the reasons)

  public record NodeRow(String entry, String reason, Instant addedAt, MaliciousNodeLibrary.Listing listing) {}

  public List<NodeRow> maliciousNodes() {
    return jdbc.query("SELECT entry, reason, added_at, listing FROM st_malicious_node ORDER BY added_at",
        (rs, i) -> new NodeRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
            MaliciousNodeLibrary.Listing.valueOf(rs.getString(4))));
  }

  /**
   * Stores an administrator's reason for a listing (which also confirms a quarantine of the entry).
   * The library lists the entry itself through {@link MaliciousNodeTable}; this keeps the reason.
   */
  public void addMaliciousNode(String entry, String reason) {
    addMaliciousNode(entry, reason, MaliciousNodeLibrary.Listing.CONFIRMED);
  }

  /**
   * Stores the reason for a listing, and the listing if the entry is not in the table yet; a
   * quarantine never downgrades a confirmed entry nor replaces an administrator's reason.
   */
  public void addMaliciousNode(String entry, String reason, MaliciousNodeLibrary.Listing listing) {
    String key = entry.trim().toLowerCase(java.util.Locale.ROOT);
    if (updateListing(key, reason, listing) > 0) {
      return;
    }
    boolean exists = !jdbc.queryForList("SELECT entry FROM st_malicious_node WHERE LOWER(entry) = ?", String.class, key)
        .isEmpty();
    if (!exists) {
      try {
        jdbc.update("INSERT INTO st_malicious_node (entry, reason, added_at, listing) VALUES (?, ?, ?, ?)", key, reason,
            Timestamp.from(Instant.now()), listing.name());
      } catch (org.springframework.dao.DuplicateKeyException listedMeanwhile) {
        updateListing(key, reason, listing);
      }
    }
  }

  private int updateListing(String key, String reason, MaliciousNodeLibrary.Listing listing) {
    return listing == MaliciousNodeLibrary.Listing.CONFIRMED
        ? jdbc.update("UPDATE st_malicious_node SET reason = ?, listing = ? WHERE LOWER(entry) = ?", reason,
            listing.name(), key)
        : jdbc.update("UPDATE st_malicious_node SET reason = ? WHERE LOWER(entry) = ? AND listing = ?", reason, key,
            listing.name());
  }

  public boolean removeMaliciousNode(String entry) {
    return jdbc.update("DELETE FROM st_malicious_node WHERE LOWER(entry) = ?", entry.trim().toLowerCase(java.util.Locale.ROOT)) > 0;
  }

  // ---- audit chain head

  public record Head(long sequence, String hash) {}

  /** The head row always exists (sequence 0 before the first entry), so that there is a row to lock. */
  private void startAuditHead() {
    if (auditHead().isEmpty()) {
      try {
        jdbc.update("INSERT INTO st_audit_head (id, seq, hash) VALUES (1, 0, ?)", AuditChain.GENESIS);
      } catch (org.springframework.dao.DuplicateKeyException startedByAnotherNode) {
        // the other node's row is the same
      }
    }
  }

  public Optional<Head> auditHead() {
    return jdbc.query("SELECT seq, hash FROM st_audit_head WHERE id = 1", (rs, i) -> new Head(rs.getLong(1),
        rs.getString(2))).stream().findFirst();
  }

  /**
   * Reads the head and locks its row until the surrounding transaction ends, so that no other
   * writer, on this node or another, appends to the chain meanwhile.
   *
   * @throws IllegalStateException outside a transaction on this database (the lock would end at once)
   */
  public Head lockAuditHead() {
    if (!TransactionSynchronizationManager.hasResource(dataSource)) {
      throw new IllegalStateException("the audit head can only be locked inside a transaction on its database");
    }
    return jdbc.queryForObject("SELECT seq, hash FROM st_audit_head WHERE id = 1 FOR UPDATE",
        (rs, i) -> new Head(rs.getLong(1), rs.getString(2)));
  }

  /** Moves the head locked by {@link #lockAuditHead()} to the entry just appended. */
  public void moveAuditHead(Head head) {
    jdbc.update("UPDATE st_audit_head SET seq = ?, hash = ? WHERE id = 1", head.sequence(), head.hash());
  }

  private static String encode(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] decode(String s) {
    return Base64.getDecoder().decode(s);
  }
}
