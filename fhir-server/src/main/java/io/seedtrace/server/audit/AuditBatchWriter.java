package io.seedtrace.server.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Takes items off the request path and writes them in batches on one thread of its own: a bounded
 * queue, and a writer that hands up to {@code batchSize} items at
 * a time to the sink, at the latest {@code batchInterval} after the first of them arrived.
 *
 * <p>When the queue is full, {@link #offer} waits up to {@code offerWait} for room (back-pressure:
 * with a wait, a caller that produces faster than the writer writes is slowed down to its pace
 * rather than losing items); an item that still finds no room is dropped, never the request: drops
 * are counted ({@link #dropped()}), logged at WARN and reported through {@code alarm} (at most once
 * per {@code alarmInterval}, with the count since the last report). Offers that had to wait are
 * counted too ({@link #waited()}). A batch the sink refuses is tried again item by item, so one bad
 * item does not lose its neighbours; an item refused alone is lost and counted as dropped too.
 *
 * <p>What is in the queue is in memory only: a crash loses it (at most the queue's capacity plus one
 * batch). On an orderly shutdown the writer stops taking items and writes everything queued before
 * the context closes the database ({@link #stop()}, in a late lifecycle phase: after the web server
 * has stopped taking requests).
 *
 * @param <T> what is queued
 */
public final class AuditBatchWriter<T> implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AuditBatchWriter.class);
  /** Stops after the web server (which stops at {@code DEFAULT_PHASE - 1024}), before the database closes. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final BlockingQueue<T> queue;
  private final long offerWaitNanos;
  private volatile long lastOfferNanos = System.nanoTime();
  private final int batchSize;
  private final Duration batchInterval;
  private final Consumer<List<T>> sink;
  private final LongConsumer alarm;
  private final long alarmIntervalNanos;
  private final boolean yieldToRequests;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong waited = new AtomicLong();
  private long reported;
  private long lastAlarm;
  private volatile boolean running;
  private Thread writer;

  /**
   * @param yieldToRequests run the writer at the lowest CPU priority ({@link LowPriority}), so that
   *     on a busy node requests go first and the writer catches up when there is CPU to spare
   * @param offerWait how long {@link #offer} waits for room in a full queue before it drops the item
   *     (zero: never waits)
   */
  public AuditBatchWriter(int capacity, int batchSize, Duration batchInterval, Duration alarmInterval,
      boolean yieldToRequests, Duration offerWait, Consumer<List<T>> sink, LongConsumer alarm) {
    this.yieldToRequests = yieldToRequests;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.offerWaitNanos = offerWait.toNanos();
    this.batchSize = batchSize;
    this.batchInterval = batchInterval;
    this.sink = sink;
    this.alarm = alarm;
    this.alarmIntervalNanos = alarmInterval.toNanos();
    this.lastAlarm = System.nanoTime() - alarmIntervalNanos;
  }

  /**
   * Queues an item, waiting up to {@code offerWait} for room when the queue is full; {@code false}
   * (and counted as dropped) when there was no room in time or the writer is stopped.
   */
  public boolean offer(T item) {
    long now = System.nanoTime();
    lastOfferNanos = now;
    if (!running) {
      dropped.incrementAndGet();
      return false;
    }
    if (queue.offer(item) || offerWaitNanos > 0 && waitForRoom(item)) {
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  private boolean waitForRoom(T item) {
    waited.incrementAndGet();
    try {
      return queue.offer(item, offerWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** When an item was last offered ({@link System#nanoTime()}): the callers' activity, for whoever works between bursts. */
  public long lastOfferNanos() {
    return lastOfferNanos;
  }

  /** Offers that found the queue full and waited for room (whether or not room came in time). */
  public long waited() {
    return waited.get();
  }

  /** Items dropped since start: queue full, writer stopped, or refused by the sink. */
  public long dropped() {
    return dropped.get();
  }

  /** Items written since start. */
  public long written() {
    return written.get();
  }

  /** Items waiting to be written. */
  public int queued() {
    return queue.size();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    writer = new Thread(this::run, "audit-batch-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Stops taking items and waits until everything queued is written (at most a minute). */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      writer.join(Duration.ofMinutes(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!queue.isEmpty()) {
      LOG.error("audit writer stopped with {} items not written", queue.size());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  private void run() {
    if (yieldToRequests && !LowPriority.lowerThisThread()) {
      LOG.info("audit writer runs at normal CPU priority (could not lower it on this system)");
    }
    List<T> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        collect(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
      if (!batch.isEmpty()) {
        write(batch);
        batch.clear();
      }
      reportDrops();
    }
  }

  /**
   * Waits for a first item, then gathers more until the batch is full or the interval has passed.
   * Waits in short slices, so that an idle writer notices {@link #stop()} at once and reports drops.
   */
  private void collect(List<T> batch) throws InterruptedException {
    long deadline = 0;
    while (batch.size() < batchSize) {
      boolean wasEmpty = batch.isEmpty();
      queue.drainTo(batch, batchSize - batch.size());
      if (wasEmpty && !batch.isEmpty()) {
        deadline = System.nanoTime() + batchInterval.toNanos();
      }
      long wait = batch.isEmpty() ? WAIT_SLICE_NANOS : deadline - System.nanoTime();
      if (batch.size() >= batchSize || !running || wait <= 0) {
        return;
      }
      T next = queue.poll(Math.min(wait, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
      if (next != null) {
        if (batch.isEmpty()) {
          deadline = System.nanoTime() + batchInterval.toNanos();
        }
        batch.add(next);
      } else if (batch.isEmpty()) {
        return;
      }
    }
  }

  private void write(List<T> batch) {
    try {
      sink.accept(List.copyOf(batch));
      written.addAndGet(batch.size());
      return;
    } catch (RuntimeException e) {
      LOG.warn("audit batch of {} not written ({}); writing its items one by one", batch.size(), e.toString());
    }
    for (T item : batch) {
      try {
        sink.accept(List.of(item));
        written.incrementAndGet();
      } catch (RuntimeException e) {
        dropped.incrementAndGet();
        LOG.error("audit item lost: {}", e.toString());
      }
    }
  }

  private void reportDrops() {
    long now = System.nanoTime();
    long total = dropped.get();
    if (total > reported && now - lastAlarm >= alarmIntervalNanos) {
      long since = total - reported;
      reported = total;
      lastAlarm = now;
      LOG.warn("{} audit items dropped ({} in all): the audit queue was full or writing failed", since, total);
      try {
        alarm.accept(since);
      } catch (RuntimeException e) {
        LOG.error("audit drop alarm not delivered: {}", e.toString());
      }
    }
  }
}
