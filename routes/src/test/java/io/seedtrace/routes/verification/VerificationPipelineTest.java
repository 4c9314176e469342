package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.detection.plan.PositionSettings;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline in a real Camel context on a real queue (H2): the server's record system is played
 * by {@link Records}, which keeps what the steps record in memory the way the server keeps it in
 * FHIR (an outcome ends the verification; a verification that ended is not run again).
 */
class VerificationPipelineTest {

  static final Duration FAST = Duration.ofMillis(50);

  /** Signals {@code started}, then waits (at most 30 s) for {@code mayGoOn}: a study held inside a step. */
  static void hold(CountDownLatch started, CountDownLatch mayGoOn) {
    started.countDown();
    try {
      mayGoOn.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  /** The record system: what is matched, and every outcome recorded, in order. */
  static final class Records implements VerificationLedger, ImplantRecords, VerificationArchive, ResultRecipients {
    final Map<String, String> ledger = new ConcurrentHashMap<>();
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    final AtomicInteger matchCalls = new AtomicInteger();
    volatile Function<SeriesStableEvent, Optional<Implant>> matcher = e -> Optional.empty();

    @Override
    public boolean finished(String verificationId) {
      String s = ledger.get(verificationId);
      return s != null && !s.equals("RUNNING") && !s.equals("FAILED");
    }

    @Override
    public void started(String verificationId, String seriesUid, String studyUid) {
      ledger.put(verificationId, "RUNNING");
    }

    @Override
    public void gaveUp(String verificationId, String error) {
      outcome(verificationId, "FAILED");
    }

    @Override
    public Optional<Implant> match(SeriesStableEvent event, Instant studyTime) {
      matchCalls.incrementAndGet();
      return matcher.apply(event);
    }

    @Override
    public CustodyCounts counts(String cartridge) {
      throw new AssertionError("no study of these tests gets this far");
    }

    @Override
    public Optional<Plan> plan(Implant implant, String dicomPatientId, String ctFrameOfReferenceUid) {
      throw new AssertionError("no study of these tests gets this far");
    }

    @Override
    public void keepPlanObjects(SeriesStableEvent event, String modality) {
      outcomes.add("PLAN " + event.seriesUid());
    }

    @Override
    public StoredResults store(StudyVerification verification) {
      throw new AssertionError("no study of these tests gets this far");
    }

    @Override
    public void unmatched(StudyVerification v) {
      outcome(v.verificationId(), "UNMATCHED");
    }

    @Override
    public void notVerified(StudyVerification v, Alarm why) {
      outcome(v.verificationId(), "INCOMPLETE");
    }

    @Override
    public void refused(StudyVerification v, String why) {
      outcome(v.verificationId(), "REFUSED");
    }

    @Override
    public void deliver(StudyVerification verification) {
      throw new AssertionError("no study of these tests gets this far");
    }

    void outcome(String verificationId, String status) {
      ledger.put(verificationId, status);
      outcomes.add(status + " " + verificationId);
    }
  }

  final Records records = new Records();
  CamelContext camel;
  JdbcStudyQueue queue;
  DataSource database;

  void start(int concurrency, int redeliveries, int maxAttempts, Duration lease) throws Exception {
    database = JdbcStudyQueueTest.database("pipeline-" + System.nanoTime());
    queue = new JdbcStudyQueue(database, "node", false, lease, maxAttempts, FAST, Clock.systemUTC());
    PipelineSettings settings = new PipelineSettings(true, concurrency, Duration.ofMillis(100), redeliveries, FAST,
        Duration.ofSeconds(30), PositionSettings.defaults());
    camel = new DefaultCamelContext();
    camel.addRoutes(new VerificationPipeline(settings, queue, records, records, records, records));
    camel.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (camel != null) {
      camel.close();
    }
  }

  static SeriesStableEvent ct(String patient, String series) {
    return new SeriesStableEvent("1.2.3", series, "1.2.3.9", "CT", "1.2.840.10008.5.1.4.1.1.2", patient, "ACC-" + patient,
        3, List.of(Path.of("/nonexistent/" + series + ".dcm")), false);
  }

  ProducerTemplate producer() {
    return camel.createProducerTemplate();
  }

  @Test
  void aStudySentTwiceIsVerifiedOnceAndAnRtPlanIsKeptNotQueued() throws Exception {
    start(2, 0, 3, Duration.ofSeconds(30));
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("P1", "1.2.3.4"));
    await().atMost(Duration.ofSeconds(10)).until(() -> queue.count("DONE") == 1);
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("P1", "1.2.3.4"));
    producer().sendBody(VerificationPipeline.ENDPOINT, new SeriesStableEvent("1.2.3", "1.2.3.7", "1.2.3.9", "RTPLAN",
        "1.2.840.10008.5.1.4.1.1.481.5", "P1", "", 1, List.of(Path.of("/spool/plan.dcm")), false));

    assertThat(records.outcomes).containsExactly("UNMATCHED VER-1.2.3.4-3", "PLAN 1.2.3.7");
    assertThat(queue.count("PENDING")).isZero();
    assertThat(records.matchCalls).hasValue(1);
  }

  @Test
  void aFailingStepIsRedeliveredAtThatStepWithinOneAttempt() throws Exception {
    start(2, 3, 3, Duration.ofSeconds(30));
    AtomicInteger failures = new AtomicInteger(2);
    records.matcher = e -> {
      if (failures.getAndDecrement() > 0) {
        throw new IllegalStateException("the FHIR store is restarting");
      }
      return Optional.empty();
    };
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("P1", "1.2.3.4"));

    await().atMost(Duration.ofSeconds(10)).until(() -> queue.count("DONE") == 1);
    assertThat(records.matchCalls).hasValue(3);
    assertThat(records.outcomes).containsExactly("UNMATCHED VER-1.2.3.4-3");
    assertThat(camel.getRoute("verification-match")).isNotNull();
  }

  @Test
  void aStepThatKeepsFailingFailsItsAttemptsAndTheStudyIsGivenUpVisibly() throws Exception {
    start(2, 1, 2, Duration.ofSeconds(30));
    records.matcher = e -> Optional.of(new Implant("Patient/1", "Procedure/2", Optional.of("Device/3"), "accession"));
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("P1", "1.2.3.4")); // its file cannot be read

    await().atMost(Duration.ofSeconds(10)).until(() -> queue.count("DEAD") == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> records.outcomes.contains("FAILED VER-1.2.3.4-3"));
    assertThat(records.matchCalls).as("two attempts, each reaching the failing assembly").hasValue(2);
    assertThat(records.finished("VER-1.2.3.4-3")).as("a resend of the series may try again").isFalse();
  }

  @Test
  void aSlowStudyDoesNotHoldUpTheStudyQueuedAfterIt() throws Exception {
    start(2, 0, 3, Duration.ofSeconds(30));
    CountDownLatch slowMayGoOn = new CountDownLatch(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    records.matcher = e -> {
      if (e.patientId().equals("SLOW")) {
        hold(slowStarted, slowMayGoOn);
      }
      return Optional.empty();
    };
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("SLOW", "1.2.3.1"));
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    producer().sendBody(VerificationPipeline.ENDPOINT, ct("FAST", "1.2.3.2"));

    await().atMost(Duration.ofSeconds(10)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.2-3"));
    assertThat(records.outcomes).as("the slow study is still running").containsExactly("UNMATCHED VER-1.2.3.2-3");
    slowMayGoOn.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.1-3"));
    assertThat(queue.count("DONE")).isEqualTo(2);
  }

  @Test
  void aStudyLeftByACrashIsTakenAgainAfterTheRestartWhenItsLeaseRunsOutAndVerifiedOnce() throws Exception {
    start(2, 0, 3, Duration.ofSeconds(1));
    JdbcStudyQueue crashedNode = new JdbcStudyQueue(database, "node", false, Duration.ofSeconds(1), 3, FAST,
        Clock.systemUTC());
    crashedNode.offer(ct("P1", "1.2.3.4"));
    QueuedStudy held = crashedNode.claim().orElseThrow();
    records.started(held.verificationId(), "1.2.3.4", "1.2.3"); // the crashed node had begun
    Instant crash = Instant.now();

    await().atMost(Duration.ofSeconds(10)).until(() -> queue.count("DONE") == 1);
    assertThat(Duration.between(crash, Instant.now())).as("not before the lease ran out")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(records.outcomes).containsExactly("UNMATCHED VER-1.2.3.4-3");
    crashedNode.done(held); // the crashed node's claim no longer counts
    assertThat(records.matchCalls).hasValue(1);
  }
}
