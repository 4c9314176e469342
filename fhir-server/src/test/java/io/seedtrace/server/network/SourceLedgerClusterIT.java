package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two authority nodes on one PostgreSQL database (two {@link SourceLedger}s, each with its own
 * connection pool): reports of many cartridges, each delivered to both nodes, applied in a shuffled
 * order from eight threads, end with the right counts, every report once in the history, and exactly
 * one alert per cartridge and kind, told to the administrators once; two nodes running the deadline
 * check at the same moment raise each overdue alert once.
 */
class SourceLedgerClusterIT {

  static final EmbeddedPostgres POSTGRES = start();
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final AuthorityProperties DEADLINES = new AuthorityProperties(Duration.ofHours(72), Duration.ofMinutes(15),
      Duration.ofDays(30));

  final SourceLedgerTest.MutableClock clock = new SourceLedgerTest.MutableClock(T0);
  final ConcurrentLinkedQueue<String> told = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void emptyDatabase() {
    new org.springframework.jdbc.core.JdbcTemplate(POSTGRES.getPostgresDatabase())
        .execute("DROP TABLE IF EXISTS st_ledger_cartridge, st_ledger_entry, st_authority_alert");
  }

  @Test
  void twoNodesApplyingInterleavedReportsEndWithTheRightLedgerAndOneAlertPerKind() throws Exception {
    try (HikariDataSource poolA = pool(); HikariDataSource poolB = pool()) {
      SourceLedger a = new SourceLedger(poolA, r -> told.add("authority-" + r.kind()), clock, DEADLINES);
      SourceLedger b = new SourceLedger(poolB, r -> told.add("authority-" + r.kind()), clock, DEADLINES);
      List<Callable<Void>> deliveries = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        for (Report r : reportsOf(i)) {
          deliveries.add(() -> r.applyTo(a));
          deliveries.add(() -> r.applyTo(b));
        }
      }
      Collections.shuffle(deliveries, new Random(17));
      runAll(deliveries);

      for (int i = 0; i < 30; i++) {
        SourceLedger.Cartridge c = a.cartridge("P-" + i).orElseThrow();
        assertThat(c.shipped()).isEqualTo(20);
        assertThat(c.received()).isEqualTo(i % 3 == 1 ? 19 : 20);
        assertThat(List.of(c.removed(), c.imaged(), c.remaining())).containsExactly(2,
            c.received() - 5 - (i % 3 == 0 ? 1 : 0), 3);
        assertThat(c.manufacturerId()).isEqualTo("MFR-" + i % 4);
        assertThat(c.hospitalId()).isEqualTo("HOSP-" + i % 2);
        assertThat(b.history("P-" + i)).as("each report once, though both nodes got it").hasSize(5);
      }
      Map<String, Long> byKind = a.alerts(false, 1000).stream().collect(Collectors.groupingBy(SourceLedger.Alert::kind,
          Collectors.counting()));
      assertThat(byKind).containsExactlyInAnyOrderEntriesOf(Map.of(Discrepancies.COUNT, 10L,
          Discrepancies.SHIPPED_RECEIVED, 10L));
      assertThat(told).as("each alert told once").hasSize(20);
    }
  }

  @Test
  void twoNodesCheckingDeadlinesAtOnceRaiseEachOverdueAlertOnce() throws Exception {
    try (HikariDataSource poolA = pool(); HikariDataSource poolB = pool()) {
      SourceLedger a = new SourceLedger(poolA, r -> told.add("authority-" + r.kind()), clock, DEADLINES);
      SourceLedger b = new SourceLedger(poolB, r -> told.add("authority-" + r.kind()), clock, DEADLINES);
      for (int i = 0; i < 20; i++) {
        a.apply("urn:uuid:late-" + i, "MFR-1", CustodyEvent.SHIPMENT_REPORT, new CountSummary("L-" + i, "ORD-L" + i,
            "HOSP-0", 10, null, null, null, null, null, null, clock.instant()));
      }
      clock.now = T0.plus(Duration.ofHours(100));
      List<Callable<Void>> checks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        SourceLedger node = i % 2 == 0 ? a : b;
        checks.add(() -> {
          node.checkDeadlines();
          return null;
        });
      }
      runAll(checks);
      List<SourceLedger.Alert> overdue = b.alerts(false, 1000).stream()
          .filter(x -> x.kind().equals(Discrepancies.OVERDUE)).toList();
      assertThat(overdue).hasSize(20);
      assertThat(overdue).extracting(SourceLedger.Alert::serial).doesNotHaveDuplicates();
      assertThat(told.stream().filter(t -> t.endsWith(Discrepancies.OVERDUE))).hasSize(20);
    }
  }

  /** One report about one cartridge: its message id, sender, event and counts. */
  record Report(String messageId, String senderId, CustodyEvent event, CountSummary summary) {
    Void applyTo(SourceLedger ledger) {
      ledger.apply(messageId, senderId, event, summary);
      return null;
    }
  }

  /**
   * The five reports of cartridge {@code i}: the manufacturer's shipment of 20 and the hospital's
   * four summaries (L0; L0, L3; L0, L3, L1; all four). Every third cartridge lost a seed (L1 one
   * short), every third from the second on was received with 19.
   */
  static List<Report> reportsOf(int i) {
    String serial = "P-" + i;
    String hospital = "HOSP-" + i % 2;
    int received = i % 3 == 1 ? 19 : 20;
    int imaged = received - 2 - 3 - (i % 3 == 0 ? 1 : 0);
    List<Report> reports = new ArrayList<>();
    reports.add(new Report("urn:uuid:ship-" + i, "MFR-" + i % 4, CustodyEvent.SHIPMENT_REPORT, new CountSummary(serial,
        "ORD-" + i, hospital, 20, null, null, null, null, null, null, T0)));
    Integer[][] steps = {{received, null, null, null}, {received, 2, null, null}, {received, 2, imaged, null},
        {received, 2, imaged, 3}};
    for (int s = 0; s < steps.length; s++) {
      reports.add(new Report("urn:uuid:count-" + i + "-" + s, hospital, CustodyEvent.IMPLANT_SUMMARY,
          new CountSummary(serial, null, hospital, null, steps[s][0], steps[s][1], steps[s][2], steps[s][3], null,
              "pk1-" + i, T0)));
    }
    return reports;
  }

  static void runAll(List<Callable<Void>> tasks) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (Future<Void> done : threads.invokeAll(tasks)) {
        done.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** A pool of its own on a freshly emptied database, as a second node would have. */
  HikariDataSource pool() {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(POSTGRES.getJdbcUrl("postgres", "postgres"));
    pool.setUsername("postgres");
    pool.setMaximumPoolSize(6);
    return pool;
  }

  static EmbeddedPostgres start() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      return postgres;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    POSTGRES.close();
  }
}
