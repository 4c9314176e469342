package io.seedtrace.server.network;

import io.seedtrace.core.assembly.Decay;
import io.seedtrace.server.database.SchemaStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The authority's source ledger: one row per cartridge with the counts each organisation reported
 * ({@code st_ledger_cartridge}), every report applied ({@code st_ledger_entry}, the cartridge's
 * cross-organisation history) and the alerts the reconciliation raised ({@code st_authority_alert},
 * at most one open alert per cartridge and kind, or per unknown sender). Each applied report is
 * reconciled at once ({@link Discrepancies}); an alert that no longer holds is closed; each new
 * alert is told after the commit to this node's administrator and to the organisations concerned.
 */
public final class SourceLedger {

  /** The ledger row of one cartridge; a count is null until someone reported it. */
  public record Cartridge(String serial, String manufacturerId, String hospitalId, String orderNumber, Integer shipped,
      Integer received, Integer removed, Integer imaged, Integer remaining, Integer returned, String patientKey,
      Instant shippedAt, Instant receivedAt, Instant returnedAt, Instant updatedAt, Instant sealedAt,
      Double activityKbq, Instant activityAt) {

    /** The activity reported last (kBq at {@code activityAt}), decayed to {@code at}; null when none was reported. */
    public Double activityKbqAt(Instant at) {
      return activityKbq == null ? null : Decay.activityAt(activityKbq, activityAt, at);
    }
  }

  /**
   * A new alert, as told after the commit: to this node's administrator and to the organisations
   * concerned ({@link AuthorityNotices}).
   *
   * @param serial the cartridge, or null for an alert about a node
   * @param organisations the network ids of the organisations concerned
   */
  public record Raised(String serial, String kind, List<String> organisations, String detail) {}

  /** A source a licensee holds or held, with its activity decayed to the time of the query. */
  public record Held(Cartridge cartridge, Double activityTodayKbq) {}

  /** An activity reported with a count (the remaining seeds' total at sealing), kBq at a time. */
  public record Activity(double kbq, Instant at) {
    public Activity {
      if (!(kbq >= 0) || kbq > 1e12 || at == null) {
        throw new IllegalArgumentException("an activity needs 0..1e12 kBq and its time, not " + kbq + " at " + at);
      }
    }
  }

  /** One report as applied. */
  public record Entry(String serial, String messageId, String senderId, String event, Instant occurredAt, Instant recordedAt,
      String counts) {}

  /** One alert; {@code closedAt} is null while it is open. */
  public record Alert(long id, String serial, String kind, String organisations, String detail, Instant raisedAt,
      Instant closedAt) {}

  static final String COLUMNS = "serial, manufacturer_id, hospital_id, order_number, shipped, received,"
      + " removed, imaged, remaining, returned, patient_key, shipped_at, received_at, returned_at, updated_at,"
      + " sealed_at, activity_kbq, activity_at";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceLedger.class);
  /** Alerts raised within {@link #inTransaction} on this thread, told after its commit. */
  private static final ThreadLocal<List<Raised>> PENDING = new ThreadLocal<>();

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Consumer<Raised> tell;
  private final Clock clock;
  private final AuthorityProperties deadlines;

  /**
   * @param tell is told of each new alert after its commit, e.g. by {@link AuthorityNotices}
   * @param deadlines the receipt and return deadlines
   */
  public SourceLedger(DataSource dataSource, Consumer<Raised> tell, Clock clock,
      AuthorityProperties deadlines) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.tell = tell;
    this.clock = clock;
    this.deadlines = deadlines;
    SchemaStatements.run(jdbc, "CREATE TABLE IF NOT EXISTS st_ledger_cartridge (serial VARCHAR(200) PRIMARY KEY,"
        + " manufacturer_id VARCHAR(100), hospital_id VARCHAR(100), order_number VARCHAR(200), shipped INT,"
        + " received INT, removed INT, imaged INT, remaining INT, returned INT, patient_key VARCHAR(64),"
        + " shipped_at TIMESTAMP, received_at TIMESTAMP, returned_at TIMESTAMP, updated_at TIMESTAMP NOT NULL)",
        "ALTER TABLE st_ledger_cartridge ADD COLUMN IF NOT EXISTS sealed_at TIMESTAMP",
        "ALTER TABLE st_ledger_cartridge ADD COLUMN IF NOT EXISTS activity_kbq DOUBLE PRECISION",
        "ALTER TABLE st_ledger_cartridge ADD COLUMN IF NOT EXISTS activity_at TIMESTAMP",
        "CREATE INDEX IF NOT EXISTS st_ledger_cartridge_by_licensee ON st_ledger_cartridge (hospital_id, updated_at)",
        "DROP INDEX IF EXISTS st_ledger_cartridge_by_hospital",
        "CREATE INDEX IF NOT EXISTS st_ledger_cartridge_unreceived ON st_ledger_cartridge (received, shipped_at)",
        "CREATE INDEX IF NOT EXISTS st_ledger_cartridge_unreturned ON st_ledger_cartridge (returned, sealed_at)",
        "CREATE TABLE IF NOT EXISTS st_ledger_entry (message_id VARCHAR(100) PRIMARY KEY, serial VARCHAR(200) NOT NULL,"
        + " sender_id VARCHAR(100) NOT NULL, event VARCHAR(64) NOT NULL, occurred_at TIMESTAMP NOT NULL,"
        + " recorded_at TIMESTAMP NOT NULL, counts VARCHAR(1000) NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_ledger_entry_by_serial ON st_ledger_entry (serial, recorded_at)",
        "CREATE TABLE IF NOT EXISTS st_authority_alert (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
        + " serial VARCHAR(200), kind VARCHAR(64) NOT NULL, organisations VARCHAR(300) NOT NULL,"
        + " detail VARCHAR(2000) NOT NULL, raised_at TIMESTAMP NOT NULL, closed_at TIMESTAMP,"
        + " open_key VARCHAR(300) UNIQUE)",
        "CREATE INDEX IF NOT EXISTS st_authority_alert_by_serial ON st_authority_alert (serial, closed_at)");
  }

  /** {@link #apply(String, String, CustodyEvent, CountSummary, Activity)} without an activity. */
  public void apply(String messageId, String senderId, CustodyEvent event, CountSummary report) {
    apply(messageId, senderId, event, report, null);
  }

  /**
   * Applies one verified report from {@code senderId} and reconciles the cartridge, in one database
   * transaction that holds the cartridge's ledger row locked ({@code SELECT ... FOR UPDATE}), so that
   * several authority nodes on one database apply reports of one cartridge one after the other and
   * raise each alert once. The hospital of a hospital's report is its sender; the manufacturer of a
   * manufacturer's report is its sender. A message applied before is not applied again. Called
   * within {@link #inTransaction}, it joins that transaction.
   *
   * @param activity the activity the report carries, or null
   * @throws RefusedMessage (422) when the cartridge is in the ledger with another hospital (for a
   *     hospital's report) or another manufacturer (for a manufacturer's); nothing is changed
   */
  public void apply(String messageId, String senderId, CustodyEvent event, CountSummary report, Activity activity) {
    List<Raised> raised = new ArrayList<>();
    transactions.executeWithoutResult(tx -> {
      Instant now = clock.instant();
      Cartridge before = locked(report.serial(), tx, now);
      if (!jdbc.queryForList("SELECT 1 FROM st_ledger_entry WHERE message_id = ?", Integer.class, messageId)
          .isEmpty()) {
        return;
      }
      boolean fromHospital = event.sender() == NodeRole.HOSPITAL;
      String known = fromHospital ? before.hospitalId() : before.manufacturerId();
      if (known != null && !known.equals(senderId)) {
        throw new RefusedMessage(422, "cartridge " + report.serial() + " is in the ledger with " + known + ", not "
            + senderId + "; one organisation may not report another's cartridge");
      }
      Cartridge after = merged(before, senderId, event, report, activity, now);
      save(after);
      jdbc.update("INSERT INTO st_ledger_entry (message_id, serial, sender_id, event, occurred_at, recorded_at,"
          + " counts) VALUES (?, ?, ?, ?, ?, ?, ?)", messageId, report.serial(), senderId, event.code(),
          Timestamp.from(report.occurredAt()), Timestamp.from(now), describe(report));
      reconcile(after, now, raised);
    });
    afterCommit(raised);
  }

  /**
   * Tells of the alerts raised once they are committed: at once, or, when the report is applied
   * within {@link #inTransaction}, after that transaction's commit.
   */
  private void afterCommit(List<Raised> raised) {
    List<Raised> pending = PENDING.get();
    if (pending != null) {
      pending.addAll(raised);
    } else {
      raised.forEach(this::tellCommitted);
    }
  }

  /**
   * Tells of one committed alert; a failure is logged and not thrown, since the report that raised
   * it is recorded (a retry of the message would only be answered as a duplicate).
   */
  private void tellCommitted(Raised alert) {
    try {
      tell.accept(alert);
    } catch (RuntimeException e) {
      LOG.error("the {} alert about {} is in the ledger but could not be told", alert.kind(), alert.serial(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction on the ledger's database, which the reports applied in it
   * join (the inbox records a message and applies it this way); the alerts they raise are told
   * after the commit, outside the transaction, and not at all when it rolls back.
   */
  public <T> T inTransaction(java.util.function.Supplier<T> work) {
    List<Raised> raised = new ArrayList<>();
    PENDING.set(raised);
    T result;
    try {
      result = transactions.execute(tx -> work.get());
    } finally {
      PENDING.remove();
    }
    raised.forEach(this::tellCommitted);
    return result;
  }

  private static Cartridge merged(Cartridge before, String senderId, CustodyEvent event, CountSummary report,
      Activity activity, Instant now) {
    boolean fromHospital = event.sender() == NodeRole.HOSPITAL;
    return new Cartridge(report.serial(),
        fromHospital ? before.manufacturerId() : senderId,
        fromHospital ? senderId : or(report.hospitalId(), before.hospitalId()),
        or(report.orderNumber(), before.orderNumber()), or(report.shipped(), before.shipped()),
        or(report.received(), before.received()), or(report.removed(), before.removed()),
        or(report.imaged(), before.imaged()), or(report.remaining(), before.remaining()),
        or(report.returned(), before.returned()), or(report.patientKey(), before.patientKey()),
        event == CustodyEvent.SHIPMENT_REPORT ? report.occurredAt() : before.shippedAt(),
        before.receivedAt() == null && report.received() != null ? report.occurredAt() : before.receivedAt(),
        event == CustodyEvent.RETURN_RECEIPT ? report.occurredAt() : before.returnedAt(), now,
        before.sealedAt() == null && report.remaining() != null ? report.occurredAt() : before.sealedAt(),
        activity == null ? before.activityKbq() : Double.valueOf(activity.kbq()),
        activity == null ? before.activityAt() : activity.at());
  }

  /**
   * The cartridge's ledger row, locked until the end of {@code tx}; an empty row is inserted first
   * when there is none (a savepoint undoes the insert when another node inserted it meanwhile).
   */
  private Cartridge locked(String serial, TransactionStatus tx, Instant now) {
    Optional<Cartridge> row = forUpdate(serial);
    if (row.isPresent()) {
      return row.get();
    }
    Object savepoint = tx.createSavepoint();
    try {
      jdbc.update("INSERT INTO st_ledger_cartridge (serial, updated_at) VALUES (?, ?)", serial, Timestamp.from(now));
      tx.releaseSavepoint(savepoint);
    } catch (DuplicateKeyException insertedByAnotherNode) {
      tx.rollbackToSavepoint(savepoint);
    }
    return forUpdate(serial).orElseThrow();
  }

  private Optional<Cartridge> forUpdate(String serial) {
    return jdbc.query("SELECT " + COLUMNS + " FROM st_ledger_cartridge WHERE serial = ? FOR UPDATE", ROW, serial)
        .stream().findFirst();
  }

  private static <T> T or(T reported, T known) {
    return reported != null ? reported : known;
  }

  private void save(Cartridge c) {
    jdbc.update("UPDATE st_ledger_cartridge SET manufacturer_id = ?, hospital_id = ?, order_number = ?,"
        + " shipped = ?, received = ?, removed = ?, imaged = ?, remaining = ?, returned = ?, patient_key = ?,"
        + " shipped_at = ?, received_at = ?, returned_at = ?, updated_at = ?, sealed_at = ?, activity_kbq = ?,"
        + " activity_at = ? WHERE serial = ?", c.manufacturerId(), c.hospitalId(), c.orderNumber(), c.shipped(),
        c.received(), c.removed(), c.imaged(), c.remaining(), c.returned(), c.patientKey(), ts(c.shippedAt()),
        ts(c.receivedAt()), ts(c.returnedAt()), ts(c.updatedAt()), ts(c.sealedAt()), c.activityKbq(),
        ts(c.activityAt()), c.serial());
  }

  /**
   * Opens an alert for each failed rule not yet open, closes the open ones that no longer fail; the
   * caller holds the cartridge's row lock, so no other node changes its alerts meanwhile. Each
   * alert opened is added to {@code raised}, to be told after the commit.
   */
  private void reconcile(Cartridge c, Instant now, List<Raised> raised) {
    Map<String, String> failed = Discrepancies.of(c, now, deadlines);
    List<String> concerned = java.util.stream.Stream.of(c.manufacturerId(), c.hospitalId())
        .filter(java.util.Objects::nonNull).toList();
    String organisations = String.join(",", concerned);
    List<String> open = jdbc.queryForList("SELECT kind FROM st_authority_alert WHERE serial = ? AND closed_at IS NULL",
        String.class, c.serial());
    failed.forEach((kind, detail) -> {
      if (!open.contains(kind)) {
        jdbc.update("INSERT INTO st_authority_alert (serial, kind, organisations, detail, raised_at, open_key)"
            + " VALUES (?, ?, ?, ?, ?, ?)", c.serial(), kind, organisations, detail, Timestamp.from(now),
            c.serial() + "|" + kind);
        raised.add(new Raised(c.serial(), kind, concerned, detail));
      }
    });
    for (String kind : open) {
      if (!failed.containsKey(kind)) {
        jdbc.update("UPDATE st_authority_alert SET closed_at = ?, open_key = NULL WHERE serial = ? AND kind = ?"
            + " AND closed_at IS NULL", Timestamp.from(now), c.serial(), kind);
      }
    }
  }

  /**
   * A custody message came from a node this authority does not trust: one open alert per sender,
   * however many messages it sends (the unique open key decides between nodes; a statement of its own).
   */
  public void unknownSender(String senderId, String event) {
    String detail = "A " + event + " message came from " + senderId + ", which is not a node this authority knows;"
        + " it was refused.";
    try {
      jdbc.update("INSERT INTO st_authority_alert (serial, kind, organisations, detail, raised_at, open_key)"
          + " VALUES (NULL, ?, ?, ?, ?, ?)", Discrepancies.UNKNOWN_NODE, senderId, detail,
          Timestamp.from(clock.instant()), "node:" + senderId + "|" + Discrepancies.UNKNOWN_NODE);
    } catch (DuplicateKeyException alreadyOpen) {
      return;
    }
    tellCommitted(new Raised(null, Discrepancies.UNKNOWN_NODE, List.of(senderId), detail));
  }

  /**
   * Reconciles every cartridge past a deadline (shipped and not received, sealed and not returned),
   * each in a transaction of its own with its row locked, so that two nodes checking at once raise
   * each alert once; returns how many cartridges are overdue.
   */
  public int checkDeadlines() {
    Instant now = clock.instant();
    List<String> late = jdbc.queryForList("SELECT serial FROM st_ledger_cartridge WHERE received IS NULL"
        + " AND shipped_at < ? UNION SELECT serial FROM st_ledger_cartridge WHERE returned IS NULL AND sealed_at < ?",
        String.class, Timestamp.from(now.minus(deadlines.receiptDeadline())),
        Timestamp.from(now.minus(deadlines.returnDeadline())));
    for (String serial : late) {
      List<Raised> raised = new ArrayList<>();
      transactions.executeWithoutResult(tx -> forUpdate(serial).ifPresent(c -> reconcile(c, now, raised)));
      afterCommit(raised);
    }
    return late.size();
  }

  public Optional<Cartridge> cartridge(String serial) {
    return jdbc.query("SELECT " + COLUMNS + " FROM st_ledger_cartridge WHERE serial = ?", ROW, serial).stream()
        .findFirst();
  }

  /**
   * The cartridges a licensee (hospital) holds or held, newest first, each with the activity last
   * reported decayed to now (I-125, half-life 59.4 days).
   */
  public List<Held> sourcesOf(String hospitalId, int limit) {
    Instant now = clock.instant();
    return jdbc.query("SELECT " + COLUMNS + " FROM st_ledger_cartridge WHERE hospital_id = ? ORDER BY updated_at DESC"
        + " FETCH FIRST " + limit + " ROWS ONLY", ROW, hospitalId).stream()
        .map(c -> new Held(c, c.activityKbqAt(now))).toList();
  }

  /** Alerts, newest first; only the open ones when {@code openOnly}. */
  public List<Alert> alerts(boolean openOnly, int limit) {
    return jdbc.query("SELECT " + ALERT_COLUMNS + " FROM st_authority_alert"
        + (openOnly ? " WHERE closed_at IS NULL" : "") + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", ALERT);
  }

  /** Every report about a cartridge, in the order they were recorded. */
  public List<Entry> history(String serial) {
    return jdbc.query("SELECT " + ENTRY_COLUMNS + " FROM st_ledger_entry WHERE serial = ?"
        + " ORDER BY recorded_at, message_id", ENTRY, serial);
  }

  /** The alerts about one cartridge, open and closed. */
  public List<Alert> alertsOf(String serial) {
    return jdbc.query("SELECT " + ALERT_COLUMNS + " FROM st_authority_alert WHERE serial = ? ORDER BY id", ALERT,
        serial);
  }

  private static String describe(CountSummary r) {
    List<String> parts = new ArrayList<>();
    String[] names = {"shipped", "received", "removed", "imaged", "remaining", "returned"};
    Integer[] values = {r.shipped(), r.received(), r.removed(), r.imaged(), r.remaining(), r.returned()};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        parts.add(names[i] + "=" + values[i]);
      }
    }
    if (r.patientKey() != null) {
      parts.add("patient=" + r.patientKey());
    }
    return String.join(" ", parts);
  }

  static final String ENTRY_COLUMNS = "serial, message_id, sender_id, event, occurred_at, recorded_at, counts";

  static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3),
      rs.getString(4), instant(rs, 5), instant(rs, 6), rs.getString(7));

  static final String ALERT_COLUMNS = "id, serial, kind, organisations, detail, raised_at, closed_at";

  static final RowMapper<Alert> ALERT = (rs, i) -> new Alert(rs.getLong(1), rs.getString(2), rs.getString(3),
      rs.getString(4), rs.getString(5), instant(rs, 6), instant(rs, 7));

  static final RowMapper<Cartridge> ROW = (rs, i) -> new Cartridge(rs.getString(1), rs.getString(2),
      rs.getString(3), rs.getString(4), integer(rs, 5), integer(rs, 6), integer(rs, 7), integer(rs, 8), integer(rs, 9),
      integer(rs, 10), rs.getString(11), instant(rs, 12), instant(rs, 13), instant(rs, 14), instant(rs, 15),
      instant(rs, 16), decimal(rs, 17), instant(rs, 18));

  private static Double decimal(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Integer integer(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
