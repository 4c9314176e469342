package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.seedtrace.server.bulk.ExportSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's rows for a bulk export on a real (H2) database, read two at a time as the export
 * worker pages through them: every cartridge, report and alert once, grouped and ordered as
 * documented, the activity decayed to the export's time, and {@code _since} giving only what changed.
 */
class LedgerExportTest {

  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
  final SourceLedgerTest.MutableClock clock = new SourceLedgerTest.MutableClock(T0);
  SourceLedger ledger;
  LedgerExport export;
  int messages;

  @BeforeEach
  void ledgerOfTwoHospitals() {
    JdbcDataSource db = SourceLedgerTest.ledgerDatabase();
    ledger = new SourceLedger(db, r -> { }, clock,
        new AuthorityProperties(Duration.ofHours(72), Duration.ofMinutes(15), Duration.ofDays(30)));
    export = new LedgerExport(db, JSON);
    for (String serial : List.of("C3", "C1", "C2")) {
      ship(serial, "HOSP-B", 10);
    }
    ship("C4", "HOSP-A", 10);
    clock.now = T0.plusSeconds(60);
    report("HOSP-B", "C1", 10, 2, 7, 1);
    report("HOSP-A", "C4", 10, 1, 8, 0);
    report("HOSP-B", "C2", 9, null, null, null);
    ledger.apply(id(), "MFR", CustodyEvent.RETURN_RECEIPT, new CountSummary("C1", null, "HOSP-B", null, null, null,
        null, 1, 1, null, clock.instant()), new SourceLedger.Activity(1000, T0));
  }

  @Test
  void everyRowOnceGroupedAndInOrderAcrossPages() throws Exception {
    Instant until = T0.plus(Duration.ofMinutes(Math.round(59.4 * 24 * 60))); // one half-life of I-125
    List<JsonNode> sources = all(LedgerExport.SOURCES, null, until);
    assertThat(sources).extracting(s -> s.at("/cartridge/hospitalId").asText() + "/" + s.at("/cartridge/serial").asText())
        .containsExactly("HOSP-A/C4", "HOSP-B/C1", "HOSP-B/C2", "HOSP-B/C3");
    assertThat(sources.get(1).get("activityTodayKbq").asDouble()).as("1000 kBq decayed to the export's time")
        .isCloseTo(500, org.assertj.core.data.Offset.offset(10.0));
    List<JsonNode> entries = all(LedgerExport.HISTORY, null, until);
    assertThat(entries).hasSize(messages);
    assertThat(entries).extracting(e -> e.get("messageId").asText()).doesNotHaveDuplicates();
    assertThat(entries).extracting(e -> e.get("serial").asText()).isSorted();
    assertThat(entries.stream().filter(e -> e.get("serial").asText().equals("C1")).map(e -> e.get("event").asText()))
        .containsExactly("custody-shipment-report", "custody-implant-summary", "custody-return-receipt");
    List<JsonNode> alerts = all(LedgerExport.ALERTS, null, until);
    assertThat(alerts).extracting(a -> a.get("serial").asText() + " " + a.get("kind").asText())
        .containsExactlyInAnyOrder("C2 " + Discrepancies.SHIPPED_RECEIVED, "C4 " + Discrepancies.COUNT);
  }

  @Test
  void sinceGivesWhatChangedAfterAndNothingAfterTheTransactionTime() throws Exception {
    Instant since = clock.instant();
    clock.now = since.plusSeconds(60);
    report("HOSP-B", "C2", 10, null, null, null);
    Instant until = clock.instant().plusSeconds(1);
    clock.now = until.plusSeconds(60);
    report("HOSP-B", "C3", 10, null, null, null);
    assertThat(all(LedgerExport.SOURCES, since, until)).extracting(s -> s.at("/cartridge/serial").asText())
        .containsExactly("C2");
    assertThat(all(LedgerExport.HISTORY, since, until)).extracting(e -> e.get("serial").asText())
        .containsExactly("C2");
    assertThat(all(LedgerExport.ALERTS, since, until)).as("C2's alert was closed in the window")
        .singleElement().satisfies(a -> {
          assertThat(a.get("kind").asText()).isEqualTo(Discrepancies.SHIPPED_RECEIVED);
          assertThat(a.get("closedAt").isNull()).isFalse();
        });
    assertThat(all(LedgerExport.ALERTS, null, since)).as("as they were at an earlier transaction time")
        .filteredOn(a -> a.get("serial").asText().equals("C2"))
        .singleElement().satisfies(a -> assertThat(a.get("closedAt").isNull()).as("still open then").isTrue());
  }

  /** Every row of {@code type}, two at a time as the export worker pages. */
  List<JsonNode> all(String type, Instant since, Instant until) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    ExportSource.Row last = null;
    while (true) {
      List<ExportSource.Row> page = export.page(type, since, until, last, 2);
      for (ExportSource.Row row : page) {
        assertThat(row.json()).doesNotContain("\n");
        rows.add(JSON.readTree(row.json()));
      }
      if (page.size() < 2) {
        return rows;
      }
      last = page.get(page.size() - 1);
    }
  }

  private void ship(String serial, String hospital, int seeds) {
    ledger.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary(serial, "ORD-" + serial, hospital, seeds,
        null, null, null, null, null, null, clock.instant()));
  }

  private void report(String hospital, String serial, Integer received, Integer removed, Integer imaged,
      Integer remaining) {
    ledger.apply(id(), hospital, CustodyEvent.IMPLANT_SUMMARY, new CountSummary(serial, null, hospital, null, received,
        removed, imaged, remaining, null, "pk1-0123", clock.instant()));
  }

  private String id() {
    return "urn:uuid:m" + (++messages);
  }
}
