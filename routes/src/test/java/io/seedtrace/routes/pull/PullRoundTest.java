package io.seedtrace.routes.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.routes.pull.JdbcPullLedger.PullRecord;
import io.seedtrace.routes.testing.MovableClock;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pull rule's rounds on a real (in-memory H2) database with a clock the test moves: an implant
 * past its deadline is pulled once even by two nodes, a PACS that is down (a real closed port) gives
 * a recorded retry after a doubling pause and finally a visible give-up, and an implant verified
 * meanwhile is not pulled.
 */
class PullRoundTest {

  static final Instant IMPLANTED = Instant.parse("2026-12-05T09:00:00Z");

  final MovableClock clock = new MovableClock(); // 2026-12-07T10:00Z: 49 h after the implant
  final Set<String> verified = ConcurrentHashMap.newKeySet();
  DataSource database;

  /** The record system's answer: the implants not in {@link #verified}. */
  final ImplantsAwaitingCt records = new ImplantsAwaitingCt() {
    final List<AwaitedImplant> all = List.of(new AwaitedImplant("Procedure/40", "IP-2026-0042", IMPLANTED));

    @Override
    public List<AwaitedImplant> unverified(Instant from, Instant to, Set<String> known, int max) {
      return all.stream().filter(i -> !verified.contains(i.procedure()) && !known.contains(i.procedure()))
          .filter(i -> !i.performedAt().isBefore(from) && !i.performedAt().isAfter(to)).limit(max).toList();
    }

    @Override
    public boolean stillUnverified(String procedure) {
      return !verified.contains(procedure);
    }
  };

  @BeforeEach
  void database() throws Exception {
    database = withSchema(newDatabase());
  }

  /** A fresh database without the table; H2 in memory here. */
  DataSource newDatabase() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:pull-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  static DataSource withSchema(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String sql : JdbcPullLedger.SCHEMA) {
        s.execute(sql);
      }
    }
    return ds;
  }

  static PullSettings settings(int pacsPort) {
    return new PullSettings(Duration.ofHours(48), Duration.ofDays(14), 7, Duration.ofMinutes(1), "PACS", "127.0.0.1",
        pacsPort, "SEEDTRACE", 3, Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(20),
        new QueryRetrieveScu.Limits(Duration.ofSeconds(5), Duration.ofMinutes(10), 50), Optional.empty());
  }

  PullRound node(String name, PullSettings settings, CtRetrieval retrieval) {
    return new PullRound(records, ledger(name, settings), retrieval, settings, clock);
  }

  JdbcPullLedger ledger(String name, PullSettings settings) {
    return new JdbcPullLedger(database, name, settings, clock);
  }

  static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aPacsThatIsDownGivesARecordedRetryAfterADoublingPauseAndFinallyAVisibleGiveUp() throws Exception {
    PullSettings settings = settings(closedPort());
    PullRound round = node("node-a", settings, new DimseCtRetrieval(settings, ZoneOffset.UTC));
    JdbcPullLedger ledger = ledger("node-a", settings);

    round.run();
    PullRecord first = ledger.find("Procedure/40").orElseThrow();
    assertThat(first.status()).isEqualTo(JdbcPullLedger.PENDING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.lastError()).contains("Cannot connect to PACS at 127.0.0.1");
    assertThat(first.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(first.leaseOwner()).isNull();

    clock.advance(Duration.ofMinutes(4));
    round.run();
    assertThat(ledger.find("Procedure/40").orElseThrow().attempts()).as("no retry before the pause ends").isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    round.run();
    PullRecord second = ledger.find("Procedure/40").orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(10));
    round.run();
    PullRecord last = ledger.find("Procedure/40").orElseThrow();
    assertThat(last.status()).isEqualTo(JdbcPullLedger.GAVE_UP);
    assertThat(last.attempts()).isEqualTo(3);
    assertThat(ledger.recent(10)).extracting(PullRecord::procedure).containsExactly("Procedure/40");

    clock.advance(Duration.ofDays(1));
    round.run();
    assertThat(ledger.find("Procedure/40").orElseThrow().attempts()).as("given up stays given up").isEqualTo(3);
  }

  @Test
  void twoNodesOnOneDatabasePullAnOverdueImplantOnce() throws Exception {
    PullSettings settings = settings(104);
    List<String> pulledBy = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<Thread> nodes = new ArrayList<>();
    for (String name : List.of("node-a", "node-b")) {
      PullRound round = node(name, settings, implant -> {
        pulledBy.add(name);
        return new CtRetrieval.Retrieved(1, 120, "PACS@127.0.0.1:104");
      });
      nodes.add(new Thread(() -> {
        bothStarted.countDown();
        try {
          bothStarted.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        round.run();
      }));
    }
    nodes.forEach(Thread::start);
    for (Thread t : nodes) {
      t.join(30_000);
    }
    assertThat(pulledBy).hasSize(1);
    PullRecord row = ledger("node-a", settings).find("Procedure/40").orElseThrow();
    assertThat(row.status()).isEqualTo(JdbcPullLedger.MOVED);
    assertThat(row.outcome()).isEqualTo("1 CT series (120 instances) moved from PACS@127.0.0.1:104");

    clock.advance(Duration.ofDays(1));
    node("node-b", settings, implant -> {
      pulledBy.add("again");
      return new CtRetrieval.Retrieved(1, 120, "PACS");
    }).run();
    assertThat(pulledBy).as("a moved implant is not pulled again").hasSize(1);
  }

  @Test
  void anImplantBeforeItsDeadlineOrVerifiedMeanwhileIsNotPulled() throws Exception {
    PullSettings settings = settings(104);
    List<String> pulls = new ArrayList<>();
    CtRetrieval counting = implant -> {
      pulls.add(implant.procedure());
      return new CtRetrieval.Retrieved(0, 0, "PACS");
    };
    clock.advance(Duration.ofHours(-2)); // 47 h after the implant
    node("node-a", settings, counting).run();
    assertThat(ledger("node-a", settings).find("Procedure/40")).isEmpty();

    clock.advance(Duration.ofHours(2));
    JdbcPullLedger ledger = ledger("node-a", settings);
    ledger.register(new AwaitedImplant("Procedure/40", "IP-2026-0042", IMPLANTED));
    verified.add("Procedure/40"); // its CT was pushed and verified between the rounds
    node("node-a", settings, counting).run();
    assertThat(pulls).isEmpty();
    assertThat(ledger.find("Procedure/40").orElseThrow().status()).isEqualTo(JdbcPullLedger.NOT_NEEDED);
  }

  @Test
  void aPacsWithoutTheCtYetIsRetriedWithTheReason() throws Exception {
    PullSettings settings = settings(104);
    node("node-a", settings, implant -> new CtRetrieval.Retrieved(0, 0, "PACS@127.0.0.1:104")).run();
    PullRecord row = ledger("node-a", settings).find("Procedure/40").orElseThrow();
    assertThat(row.status()).isEqualTo(JdbcPullLedger.PENDING);
    assertThat(row.lastError()).isEqualTo("no CT of patient IP-2026-0042 on PACS@127.0.0.1:104 dated within 7 days"
        + " of the implant");
  }
}
