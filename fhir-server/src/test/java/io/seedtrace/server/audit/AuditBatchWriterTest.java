package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue and writer behind the PHI access audit, with a sink in the test. */
class AuditBatchWriterTest {

  final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  final AtomicLong alarmed = new AtomicLong();
  AuditBatchWriter<Integer> writer;

  @AfterEach
  void stop() {
    if (writer != null) {
      writer.stop();
    }
  }

  AuditBatchWriter<Integer> start(int capacity, int batchSize, Duration interval, Consumer<List<Integer>> sink) {
    return start(capacity, batchSize, interval, Duration.ZERO, sink);
  }

  AuditBatchWriter<Integer> start(int capacity, int batchSize, Duration interval, Duration offerWait,
      Consumer<List<Integer>> sink) {
    writer = new AuditBatchWriter<>(capacity, batchSize, interval, Duration.ZERO, false, offerWait, sink,
        alarmed::addAndGet);
    writer.start();
    return writer;
  }

  @Test
  void writesEverythingInBatchesOfAtMostTheBatchSizeInOrder() {
    start(1000, 20, Duration.ofMillis(200), batches::add);
    for (int i = 0; i < 95; i++) {
      assertThat(writer.offer(i)).isTrue();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 95);
    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(20));
    assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 95).boxed().toList());
    assertThat(batches.size()).as("batched, not one by one").isLessThan(95);
    assertThat(writer.dropped()).isZero();
  }

  @Test
  void aFullQueueDropsCountsAndAlarmsWithoutBlockingTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    start(3, 1, Duration.ofMillis(50), batch -> {
      writing.countDown();
      awaitQuietly(release);
      batches.add(batch);
    });
    assertThat(writer.offer(0)).isTrue();
    assertThat(writing.await(10, TimeUnit.SECONDS)).as("the writer holds item 0 in the sink").isTrue();
    long started = System.nanoTime();
    List<Boolean> accepted = java.util.stream.IntStream.range(1, 10).mapToObj(writer::offer).toList();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("offer never waits").isLessThan(Duration.ofSeconds(1));
    assertThat(accepted).containsExactly(true, true, true, false, false, false, false, false, false);
    assertThat(writer.dropped()).isEqualTo(6);
    release.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 4 && alarmed.get() == 6);
  }

  @Test
  void aBatchTheSinkRefusesIsWrittenItemByItemAndOnlyTheBadItemIsLost() {
    start(100, 10, Duration.ofMillis(200), batch -> {
      if (batch.contains(3)) {
        throw new IllegalStateException("refused");
      }
      batches.add(batch);
    });
    for (int i = 0; i < 5; i++) {
      writer.offer(i);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 4);
    assertThat(batches.stream().flatMap(List::stream).toList()).containsExactly(0, 1, 2, 4);
    assertThat(writer.dropped()).isEqualTo(1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> alarmed.get() == 1);
  }

  @Test
  void stoppingWritesWhatIsQueuedAndRefusesMore() {
    start(1000, 7, Duration.ofSeconds(30), batches::add);
    for (int i = 0; i < 50; i++) {
      writer.offer(i);
    }
    writer.stop();
    assertThat(writer.written()).isEqualTo(50);
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(50);
    assertThat(writer.offer(99)).isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
  }

  @Test
  void withAWaitAFullQueueHoldsTheCallerUntilThereIsRoomAndLosesNothing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(2, 1, Duration.ofMillis(10), Duration.ofSeconds(30), batch -> {
      awaitQuietly(release);
      batches.add(batch);
    });
    java.util.concurrent.ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<List<Boolean>> offers = caller.submit(
          () -> java.util.stream.IntStream.range(0, 10).mapToObj(writer::offer).toList());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.waited() > 0);
      assertThat(offers.isDone()).as("the caller waits for room").isFalse();
      release.countDown();
      assertThat(offers.get(30, TimeUnit.SECONDS)).containsOnly(true);
    } finally {
      caller.shutdownNow();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 10);
    assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 10).boxed().toList());
    assertThat(writer.dropped()).isZero();
  }

  @Test
  void anItemThatFindsNoRoomWithinTheWaitIsDroppedCountedAndAlarmed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    start(1, 1, Duration.ofMillis(10), Duration.ofMillis(200), batch -> {
      writing.countDown();
      awaitQuietly(release);
      batches.add(batch);
    });
    assertThat(writer.offer(0)).isTrue();
    assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.offer(1)).as("room for one").isTrue();
    long started = System.nanoTime();
    assertThat(writer.offer(2)).as("no room within 200 ms").isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(writer.dropped()).isEqualTo(1);
    release.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == 2 && alarmed.get() == 1);
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
