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
 * queue that {@link #offer} never waits on, and a writer that hands up to {@code batchSize} items at
 * a time to the sink, at the latest {@code batchInterval} after the first of them arrived.
 *
 * <p>When the queue is full the item is dropped, never the request: drops are counted
 * ({@link #dropped()}), logged at WARN and reported through {@code alarm} (at most once per
 * {@code alarmInterval}, with the count since the last report). A batch the sink refuses is tried
 * again item by item, so one bad item does not lose its neighbours; an item refused alone is lost
 * and counted as dropped too.
 *
 * <p>With {@link Deferral#whileArriving}, the writer also keeps out of the way of a burst: while
 * items keep arriving it holds a batch back until they pause for {@code quiet}, so that its work
 * (and the garbage it makes) falls between bursts rather than into them; an item waits at most
 * {@code maxDelay}, and a queue half full is written at once, so a lasting load is written while it
 * lasts.
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

  /**
   * When a collected batch is written: at once ({@link #NONE}), or held back while items keep
   * arriving until they pause for {@code quiet}, at most {@code maxDelay} after its oldest arrived.
   */
  public record Deferral(Duration quiet, Duration maxDelay) {
    public static final Deferral NONE = new Deferral(Duration.ZERO, Duration.ZERO);

    public static Deferral whileArriving(Duration quiet, Duration maxDelay) {
      if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
        throw new IllegalArgumentException("a deferral needs 0 <= quiet <= maxDelay, not " + quiet + " and " + maxDelay);
      }
      return new Deferral(quiet, maxDelay);
    }

    boolean holdsBack() {
      return !maxDelay.isZero();
    }
  }

  /** An item and when it was offered. */
  private record Queued<T>(T item, long offeredNanos) {}

  private final BlockingQueue<Queued<T>> queue;
  private final int capacity;
  private final Deferral deferral;
  private volatile long lastOfferNanos;
  private final int batchSize;
  private final Duration batchInterval;
  private final Consumer<List<T>> sink;
  private final LongConsumer alarm;
  private final long alarmIntervalNanos;
  private final boolean yieldToRequests;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private long reported;
  private long lastAlarm;
  private volatile boolean running;
  private Thread writer;

  /**
   * @param yieldToRequests run the writer at the lowest CPU priority ({@link LowPriority}), so that
   *     on a busy node requests go first and the writer catches up when there is CPU to spare
   */
  public AuditBatchWriter(int capacity, int batchSize, Duration batchInterval, Duration alarmInterval,
      boolean yieldToRequests, Deferral deferral, Consumer<List<T>> sink, LongConsumer alarm) {
    this.yieldToRequests = yieldToRequests;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.deferral = deferral;
    this.batchSize = batchSize;
    this.batchInterval = batchInterval;
    this.sink = sink;
    this.alarm = alarm;
    this.alarmIntervalNanos = alarmInterval.toNanos();
    this.lastAlarm = System.nanoTime() - alarmIntervalNanos;
  }

  /** Queues an item without waiting; {@code false} (and counted) when the queue is full or stopped. */
  public boolean offer(T item) {
    long now = System.nanoTime();
    if (running && queue.offer(new Queued<>(item, now))) {
      if (deferral.holdsBack()) {
        lastOfferNanos = now;
      }
      return true;
    }
    dropped.incrementAndGet();
    return false;
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
    List<Queued<T>> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        collect(batch);
        if (!batch.isEmpty()) {
          awaitPause(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
      if (!batch.isEmpty()) {
        write(batch.stream().map(Queued::item).toList());
        batch.clear();
      }
      reportDrops();
    }
  }

  /**
   * Waits for a first item, then gathers more until the batch is full or the interval has passed.
   * Waits in short slices, so that an idle writer notices {@link #stop()} at once and reports drops.
   */
  private void collect(List<Queued<T>> batch) throws InterruptedException {
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
      Queued<T> next = queue.poll(Math.min(wait, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
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

  /**
   * Holds the batch back while items keep arriving (see {@link Deferral}); returns at once when
   * stopping, when the queue (with the batch) is half full, or when the oldest item has waited
   * {@code maxDelay}.
   */
  private void awaitPause(List<Queued<T>> batch) throws InterruptedException {
    if (!deferral.holdsBack()) {
      return;
    }
    long quiet = deferral.quiet().toNanos();
    long latest = batch.get(0).offeredNanos() + deferral.maxDelay().toNanos();
    while (running && queue.size() + batch.size() < capacity / 2) {
      long now = System.nanoTime();
      long sinceLast = now - lastOfferNanos;
      if (sinceLast >= quiet || now >= latest) {
        return;
      }
      // in short slices, so that stop() is noticed at once
      TimeUnit.NANOSECONDS.sleep(Math.min(WAIT_SLICE_NANOS, Math.min(quiet - sinceLast, latest - now)));
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
