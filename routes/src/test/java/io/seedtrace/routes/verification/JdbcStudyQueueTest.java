package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.routes.testing.MovableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The study queue on a real (in-memory H2) database, two nodes sharing it, with a clock the test moves. */
class JdbcStudyQueueTest {

  static final Duration LEASE = Duration.ofSeconds(30);

  final MovableClock clock = new MovableClock();
  JdbcStudyQueue nodeA;
  JdbcStudyQueue nodeB;
  DataSource database;

  static DataSource database(String name) throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return withSchema(ds);
  }

  static DataSource withSchema(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String sql : JdbcStudyQueue.SCHEMA) {
        s.execute(sql);
      }
    }
    return ds;
  }

  /** A CT series of a patient of its own. */
  static SeriesStableEvent ct(String series, int instances) {
    return ct(series, instances, "P-" + series);
  }

  static SeriesStableEvent ct(String series, int instances, String patient) {
    return new SeriesStableEvent("1.2.3", series, "1.2.3.9", "CT", "1.2.840.10008.5.1.4.1.1.2", patient, "ACC1",
        instances, List.of(Path.of("/spool/" + series + ".dcm")), false);
  }

  /** A new, empty database with the queue's table. */
  DataSource newDatabase() throws Exception {
    return database("queue-" + System.nanoTime());
  }

  @BeforeEach
  void twoNodesOnOneDatabase() throws Exception {
    DataSource ds = newDatabase();
    database = ds;
    nodeA = new JdbcStudyQueue(ds, "node-a", true, LEASE, 3, Duration.ofSeconds(10), clock);
    nodeB = new JdbcStudyQueue(ds, "node-b", true, LEASE, 3, Duration.ofSeconds(10), clock);
  }

  @Test
  void theSameSeriesVersionOfferedTwiceIsQueuedOnce() {
    nodeA.offer(ct("1.2.3.4", 10));
    nodeB.offer(ct("1.2.3.4", 10));

    assertThat(nodeA.count("PENDING")).isEqualTo(1);
    QueuedStudy study = nodeA.claim().orElseThrow();
    assertThat(study.verificationId()).isEqualTo("VER-1.2.3.4-10");
    assertThat(study.event()).isEqualTo(ct("1.2.3.4", 10));
    assertThat(nodeB.claim()).isEmpty();
  }

  @Test
  void aClaimedStudyStaysWithItsNodeUntilTheLeaseRunsOutThenAnotherNodeTakesIt() {
    nodeA.offer(ct("1.2.3.4", 10));
    QueuedStudy atA = nodeA.claim().orElseThrow();
    assertThat(nodeB.claim()).as("held by A").isEmpty();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(nodeA.renew(atA)).isTrue();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(nodeB.claim()).as("A renewed its lease").isEmpty();

    clock.advance(LEASE); // A died: no renewal
    QueuedStudy atB = nodeB.claim().orElseThrow();
    assertThat(atB.attempt()).isEqualTo(2);
    nodeA.done(atA); // A's late word no longer counts
    assertThat(nodeA.status(atB.verificationId())).contains("PENDING");
    assertThat(nodeA.renew(atA)).isFalse();
    nodeB.done(atB);
    assertThat(nodeA.status(atB.verificationId())).contains("DONE");
    assertThat(nodeA.claim()).isEmpty();
  }

  @Test
  void aFailedStudyWaitsAGrowingPauseAndIsGivenUpAfterItsLastAttempt() {
    nodeA.offer(ct("1.2.3.4", 10));
    assertThat(nodeA.failed(nodeA.claim().orElseThrow(), "database down")).isFalse();
    assertThat(nodeA.claim()).as("waits 10 s").isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(nodeA.failed(nodeA.claim().orElseThrow(), "database down")).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(nodeA.claim()).as("then 20 s").isEmpty();
    clock.advance(Duration.ofSeconds(10));
    QueuedStudy third = nodeA.claim().orElseThrow();
    assertThat(third.attempt()).isEqualTo(3);

    assertThat(nodeA.failed(third, "database down")).as("given up").isTrue();
    assertThat(nodeA.status(third.verificationId())).contains("DEAD");
    clock.advance(Duration.ofHours(1));
    assertThat(nodeA.claim()).isEmpty();

    nodeA.offer(ct("1.2.3.4", 10)); // the PACS sends the series again
    assertThat(nodeA.claim()).map(QueuedStudy::attempt).contains(1);
  }

  @Test
  void theStudiesOfOnePatientAreVerifiedOneAtATimeInTheOrderTheyCame() {
    nodeA.offer(ct("1.2.3.6", 40, "P7"));
    clock.advance(Duration.ofSeconds(1));
    nodeA.offer(ct("1.2.3.7", 40, "P7"));
    nodeA.offer(ct("1.2.3.8", 40, "P8"));

    QueuedStudy first = nodeA.claim().orElseThrow();
    assertThat(first.verificationId()).isEqualTo("VER-1.2.3.6-40");
    assertThat(nodeB.claim()).as("another patient's study goes on").map(QueuedStudy::verificationId)
        .contains("VER-1.2.3.8-40");
    assertThat(nodeB.claim()).as("the patient's later study waits for the earlier").isEmpty();
    nodeA.done(first);
    assertThat(nodeB.claim()).map(QueuedStudy::verificationId).contains("VER-1.2.3.7-40");
  }

  @Test
  void twoVersionsOfOneSeriesAreNeverVerifiedAtTheSameTimeOlderFirst() {
    nodeA.offer(ct("1.2.3.4", 122));
    clock.advance(Duration.ofSeconds(1));
    nodeA.offer(ct("1.2.3.4", 300));
    nodeA.offer(ct("1.2.3.5", 50));

    QueuedStudy first = nodeA.claim().orElseThrow();
    assertThat(first.verificationId()).isEqualTo("VER-1.2.3.4-122");
    Optional<QueuedStudy> next = nodeB.claim();
    assertThat(next).map(QueuedStudy::verificationId).contains("VER-1.2.3.5-50");
    assertThat(nodeB.claim()).as("the later version waits for the earlier").isEmpty();
    nodeA.done(first);
    assertThat(nodeB.claim()).map(QueuedStudy::verificationId).contains("VER-1.2.3.4-300");
  }

  @Test
  void withSpoolsOfTheirOwnANodeTakesOnlyTheStudiesItReceivedAlsoAfterARestart() {
    JdbcStudyQueue a = new JdbcStudyQueue(database, "node-a", false, LEASE, 3, Duration.ofSeconds(10), clock);
    JdbcStudyQueue b = new JdbcStudyQueue(database, "node-b", false, LEASE, 3, Duration.ofSeconds(10), clock);
    a.offer(ct("1.2.3.4", 10));
    a.claim().orElseThrow(); // then node A dies
    clock.advance(LEASE.plusSeconds(1));
    assertThat(b.claim()).as("B cannot read A's spool").isEmpty();

    JdbcStudyQueue restartedA = new JdbcStudyQueue(database, "node-a", false, LEASE, 3, Duration.ofSeconds(10), clock);
    assertThat(restartedA.claim()).map(QueuedStudy::attempt).contains(2);
  }
}
