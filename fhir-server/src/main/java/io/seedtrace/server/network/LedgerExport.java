package io.seedtrace.server.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.server.bulk.ExportSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The authority's source ledger as rows of a Bulk Data export ({@code GET /authority/$export}), for
 * the authority's own analytics. Three types, each a file of JSON objects:
 * <ul>
 *   <li>{@value #SOURCES}: one per cartridge, as {@code GET /authority/licensees/{id}/sources} shows
 *       it ({@code {cartridge, activityTodayKbq}}), the activity decayed to the export's
 *       transactionTime; grouped by licensee (hospital), then by serial;</li>
 *   <li>{@value #HISTORY}: every report applied (the cross-organisation history), with its serial;
 *       each cartridge's reports together and in the order they were recorded;</li>
 *   <li>{@value #ALERTS}: the discrepancies, open ({@code closedAt} null) and closed, oldest first.</li>
 * </ul>
 * With {@code _since}: the cartridges changed, the reports recorded, the alerts raised or closed after
 * it. Nothing changed after the transactionTime is exported (an alert closed after it is still open
 * in the export), so the next export with {@code _since} = this transactionTime continues seamlessly.
 * Pages follow the order by key (keyset), so a page costs the same at the end of a large ledger as
 * at its start.
 */
public final class LedgerExport implements ExportSource {

  static final String SOURCES = "LedgerSource";
  static final String HISTORY = "LedgerEntry";
  static final String ALERTS = "LedgerAlert";

  private static final String LICENSEE = "COALESCE(hospital_id, '')";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  /**
   * On the ledger's database (the ledger, {@link SourceLedger}, creates the tables), writing rows as
   * {@code json} writes the authority's query answers (the application's mapper: times as ISO text).
   */
  public LedgerExport(DataSource dataSource, ObjectMapper json) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.json = json;
  }

  @Override
  public List<String> types() {
    return List.of(SOURCES, HISTORY, ALERTS);
  }

  @Override
  public List<Row> page(String type, Instant since, Instant until, Row after, int limit) {
    return switch (type) {
      case SOURCES -> sources(since, until, after, limit);
      case HISTORY -> history(since, until, after, limit);
      case ALERTS -> alerts(since, until, after, limit);
      default -> throw new IllegalArgumentException("the ledger exports no " + type);
    };
  }

  private List<Row> sources(Instant since, Instant until, Row after, int limit) {
    List<Object> args = window(since, until);
    String where = "updated_at <= ?" + (since == null ? "" : " AND updated_at > ?");
    if (after != null) {
      String[] key = (String[]) after.position();
      where += " AND (" + LICENSEE + " > ? OR (" + LICENSEE + " = ? AND serial > ?))";
      args.addAll(List.of(key[0], key[0], key[1]));
    }
    return rows("SELECT " + SourceLedger.COLUMNS + " FROM st_ledger_cartridge WHERE " + where + " ORDER BY " + LICENSEE
        + ", serial", args, limit, SourceLedger.ROW,
        c -> new String[] {c.hospitalId() == null ? "" : c.hospitalId(), c.serial()},
        c -> new SourceLedger.Held(c, c.activityKbqAt(until)));
  }

  private List<Row> history(Instant since, Instant until, Row after, int limit) {
    List<Object> args = window(since, until);
    String where = "recorded_at <= ?" + (since == null ? "" : " AND recorded_at > ?");
    if (after != null) {
      SourceLedger.Entry last = (SourceLedger.Entry) after.position();
      Timestamp at = Timestamp.from(last.recordedAt());
      where += " AND (serial > ? OR (serial = ? AND (recorded_at > ? OR (recorded_at = ? AND message_id > ?))))";
      args.addAll(List.of(last.serial(), last.serial(), at, at, last.messageId()));
    }
    return rows("SELECT " + SourceLedger.ENTRY_COLUMNS + " FROM st_ledger_entry WHERE " + where
        + " ORDER BY serial, recorded_at, message_id", args, limit, SourceLedger.ENTRY, e -> e, e -> e);
  }

  private List<Row> alerts(Instant since, Instant until, Row after, int limit) {
    List<Object> args = window(since, until);
    String where = "raised_at <= ?";
    if (since != null) {
      where += " AND (raised_at > ? OR (closed_at > ? AND closed_at <= ?))";
      args.addAll(List.of(Timestamp.from(since), Timestamp.from(until)));
    }
    if (after != null) {
      where += " AND id > ?";
      args.add(after.position());
    }
    return rows("SELECT " + SourceLedger.ALERT_COLUMNS + " FROM st_authority_alert WHERE " + where + " ORDER BY id",
        args, limit, SourceLedger.ALERT, SourceLedger.Alert::id, a -> a.closedAt() != null && a.closedAt().isAfter(until)
            ? new SourceLedger.Alert(a.id(), a.serial(), a.kind(), a.organisations(), a.detail(), a.raisedAt(), null)
            : a);
  }

  /** The arguments of the time window: until, then since when there is one. */
  private static List<Object> window(Instant since, Instant until) {
    List<Object> args = new ArrayList<>();
    args.add(Timestamp.from(until));
    if (since != null) {
      args.add(Timestamp.from(since));
    }
    return args;
  }

  private <T> List<Row> rows(String sql, List<Object> args, int limit, RowMapper<T> mapper, Function<T, Object> position,
      Function<T, Object> exported) {
    List<T> found = jdbc.query(sql + " FETCH FIRST " + limit + " ROWS ONLY", mapper, args.toArray());
    List<Row> rows = new ArrayList<>(found.size());
    for (T item : found) {
      rows.add(new Row(position.apply(item), line(exported.apply(item))));
    }
    return rows;
  }

  private String line(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a ledger row could not be written as JSON", e);
    }
  }
}
