package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PHI access journal on PostgreSQL and H2: accesses come back as they were journaled; two
 * nodes claiming at the same moment get different rows (a row locked by one conversion is skipped
 * by the other); a conversion that fails leaves its rows for the next one; a removed row is gone
 * for everyone; a row that fails alone is set back, and after several failures refused: kept but
 * no longer claimed.
 */
class PhiAccessJournalIT {

  static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  static Stream<String> databases() {
    return TestDatabases.kinds();
  }

  static DataSource freshDatabase(String kind) {
    return TestDatabases.fresh(kind, POSTGRES, "st_phi_access_journal");
  }

  static PhiAccess access(int i) {
    Map<String, List<String>> studies = new TreeMap<>();
    if (i % 2 == 0) {
      studies.put("PID-" + i, List.of("1.2.3." + i, "1.2.4." + i));
    }
    return new PhiAccess(i % 3 == 0 ? "read" : "search-type", i % 3 == 0, Instant.parse("2026-12-07T10:00:00Z")
        .plusSeconds(i), "physician-" + i, "https://issuer.test", "physician-cli", "10.0.0." + i,
        "http://localhost/fhir", "Observation?subject=Patient/" + i + "&name=Zh\u00e9", List.of("Observation/" + i),
        List.of("Patient/" + i), new TreeMap<>(studies));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void accessesComeBackAsJournaledInTheirOrder(String database) {
    DataSource db = freshDatabase(database);
    PhiAccessJournal journal = new PhiAccessJournal(db);
    List<PhiAccess> written = List.of(access(0), access(1), access(2), access(3));
    journal.append("node-a", written);

    List<PhiAccessJournal.Row> rows = inTransaction(db, () -> journal.claim(10, Instant.now()));
    assertThat(rows).extracting(PhiAccessJournal.Row::access).containsExactlyElementsOf(written);
    assertThat(rows).extracting(PhiAccessJournal.Row::node).containsOnly("node-a");
    assertThat(journal.waiting()).isEqualTo(4);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void twoNodesClaimingAtOnceGetDifferentRowsAndARemovedRowIsGoneForBoth(String database) throws Exception {
    DataSource db = freshDatabase(database);
    PhiAccessJournal nodeA = new PhiAccessJournal(db);
    PhiAccessJournal nodeB = new PhiAccessJournal(db);
    List<PhiAccess> accesses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accesses.add(access(i));
    }
    nodeA.append("node-a", accesses);
    CountDownLatch aHolds = new CountDownLatch(1);
    CountDownLatch bDone = new CountDownLatch(1);
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      Future<List<PhiAccessJournal.Row>> a = threads.submit(() -> inTransaction(db, () -> {
        List<PhiAccessJournal.Row> claimed = nodeA.claim(4, Instant.now());
        aHolds.countDown();
        await(bDone);
        nodeA.remove(claimed);
        return claimed;
      }));
      assertThat(aHolds.await(30, TimeUnit.SECONDS)).isTrue();
      List<PhiAccessJournal.Row> b = inTransaction(db, () -> {
        List<PhiAccessJournal.Row> claimed = nodeB.claim(4, Instant.now());
        nodeB.remove(claimed);
        return claimed;
      });
      bDone.countDown();
      List<Long> aIds = a.get(30, TimeUnit.SECONDS).stream().map(PhiAccessJournal.Row::id).toList();
      List<Long> bIds = b.stream().map(PhiAccessJournal.Row::id).toList();
      assertThat(aIds).hasSize(4).doesNotContainAnyElementsOf(bIds);
      assertThat(bIds).as("b skipped what a held, without waiting for it").hasSize(4);
    } finally {
      threads.shutdownNow();
    }
    assertThat(nodeB.waiting()).as("the rows neither node took").isEqualTo(2);
    assertThat(inTransaction(db, () -> nodeB.claim(10, Instant.now()))).hasSize(2);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aConversionThatFailsLeavesItsRowsForTheNextAndARowFailingAloneWaitsThenIsRefused(String database) {
    DataSource db = freshDatabase(database);
    PhiAccessJournal journal = new PhiAccessJournal(db);
    journal.append("node-a", List.of(access(1), access(2), access(3)));
    Instant now = Instant.now();

    assertThatThrownBy(() -> inTransaction(db, () -> {
      journal.remove(journal.claim(3, now));
      throw new IllegalStateException("the chain refused the batch");
    })).hasMessageContaining("refused");
    List<PhiAccessJournal.Row> again = inTransaction(db, () -> journal.claim(3, now));
    assertThat(again).as("nothing lost by the failed conversion").hasSize(3);

    long bad = again.get(1).id();
    assertThat(journal.failed(bad, "refused alone", now)).as("tried again later").isFalse();
    assertThat(inTransaction(db, () -> journal.claim(3, now))).extracting(PhiAccessJournal.Row::id)
        .as("set back for a while").containsExactly(again.get(0).id(), again.get(2).id());
    assertThat(inTransaction(db, () -> journal.claim(bad, now.plusSeconds(3)))).as("due again after 2 s").hasSize(1);
    Instant later = now;
    for (int attempt = 2; attempt < PhiAccessJournal.MAX_ATTEMPTS; attempt++) {
      later = later.plus(java.time.Duration.ofMinutes(6));
      assertThat(journal.failed(bad, "refused alone", later)).isFalse();
    }
    assertThat(journal.failed(bad, "refused alone", later.plus(java.time.Duration.ofMinutes(6))))
        .as("refused after " + PhiAccessJournal.MAX_ATTEMPTS + " failures").isTrue();
    assertThat(inTransaction(db, () -> journal.claim(3, now.plus(java.time.Duration.ofDays(1)))))
        .extracting(PhiAccessJournal.Row::id).doesNotContain(bad).hasSize(2);
    assertThat(journal.refused()).isEqualTo(1);
    assertThat(journal.waiting()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void claimingOutsideATransactionIsRefused(String database) {
    PhiAccessJournal journal = new PhiAccessJournal(freshDatabase(database));
    assertThatThrownBy(() -> journal.claim(1, Instant.now())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a transaction");
  }

  static <T> T inTransaction(DataSource db, java.util.function.Supplier<T> work) {
    return new TransactionTemplate(new DataSourceTransactionManager(db)).execute(status -> work.get());
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    POSTGRES.close();
  }
}
