package io.seedtrace.server.audit;

import io.seedtrace.server.audit.AuditTrail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Turns the rows of the {@link PhiAccessJournal} into BALP AuditEvents in the hash chain, at its own
 * pace, on one thread of its own per node: claims up to {@code batchSize} rows (any node's), builds
 * their events with the node that recorded each, appends them ({@link AuditTrail#appendAll}, not
 * offered to Subscriptions) and deletes the rows, all in one transaction. A crash mid-way rolls the
 * transaction back and the rows wait for the next conversion, here or on another node; a row is
 * never converted twice, since its deletion commits with its events.
 *
 * <p>Storing an AuditEvent through HAPI costs about as much CPU as the read it records, so the
 * converter keeps out of the requests' way: it runs at the lowest CPU priority, and while this
 * node's reads keep coming it waits until they pause for {@code quiet}, but no longer than
 * {@code maxDelay}; past that it converts while the load lasts, and what it cannot keep up with
 * waits in the journal. Idle, it looks for rows every {@code pollInterval} (rows of other nodes,
 * or left by a crash).
 *
 * <p>A batch the chain refuses is converted row by row; a row refused alone is tried once more with
 * its references as plain identifiers (what it names may have been deleted since it was read); if
 * that is refused too, the journal sets it back for a while ({@link PhiAccessJournal#failed}), and
 * after several such failures it stays in the journal marked refused, counted ({@link #refused()})
 * and reported through {@code refusedAlarm}.
 */
public final class PhiAccessConverter implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PhiAccessConverter.class);
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final PhiAccessJournal journal;
  private final AuditTrail trail;
  private final int batchSize;
  private final long quietNanos;
  private final long maxDelayNanos;
  private final long pollNanos;
  private final LongSupplier lastArrivalNanos;
  private final BiConsumer<Long, String> refusedAlarm;
  private final AtomicLong converted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean running;
  private Thread thread;

  /**
   * @param lastArrivalNanos when this node last captured an access ({@link System#nanoTime()})
   * @param refusedAlarm told the journal row id and the error of a row the chain refused
   */
  public PhiAccessConverter(PhiAccessJournal journal, AuditTrail trail, int batchSize, Duration quiet,
      Duration maxDelay, Duration pollInterval, LongSupplier lastArrivalNanos, BiConsumer<Long, String> refusedAlarm) {
    this.journal = journal;
    this.trail = trail;
    this.batchSize = batchSize;
    this.quietNanos = quiet.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.pollNanos = pollInterval.toNanos();
    this.lastArrivalNanos = lastArrivalNanos;
    this.refusedAlarm = refusedAlarm;
  }

  /** Accesses converted into AuditEvents by this node since start. */
  public long converted() {
    return converted.get();
  }

  /** Journal rows this node found refused by the chain since start. */
  public long refused() {
    return refused.get();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "phi-access-converter");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the batch in hand; what is left in the journal is converted after the next start. */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofMinutes(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the journal writer (which stops in {@link AuditBatchWriter#PHASE}), both before the database closes. */
  @Override
  public int getPhase() {
    return AuditBatchWriter.PHASE + 1;
  }

  private void run() {
    if (!LowPriority.lowerThisThread()) {
      LOG.info("PHI access converter runs at normal CPU priority (could not lower it on this system)");
    }
    long deferringSince = 0;
    while (running) {
      long now = System.nanoTime();
      if (now - lastArrivalNanos.getAsLong() < quietNanos) {
        deferringSince = deferringSince == 0 ? now : deferringSince;
        if (now - deferringSince < maxDelayNanos) {
          LockSupport.parkNanos(SLICE_NANOS); // reads are coming: wait for them to pause
          continue;
        }
      }
      if (convertBatch() == 0) {
        deferringSince = 0;
        LockSupport.parkNanos(pollNanos);
      }
    }
  }

  /** Converts the oldest rows it can claim; returns how many rows it took (converted or refused). */
  int convertBatch() {
    List<PhiAccessJournal.Row> claimed = new ArrayList<>();
    try {
      trail.appendAll(() -> {
        claimed.addAll(journal.claim(batchSize, java.time.Instant.now()));
        return events(claimed, true);
      }, () -> journal.remove(readable(claimed)));
      converted.addAndGet(readable(claimed).size());
      claimed.stream().filter(r -> r.access() == null).forEach(r -> refuseUnreadable(r.id()));
      return claimed.size();
    } catch (RuntimeException e) {
      if (claimed.isEmpty()) {
        LOG.error("PHI access journal not readable: {}", e.toString());
        return 0;
      }
      LOG.warn("PHI access batch of {} not converted ({}); converting its rows one by one", claimed.size(), e.toString());
    }
    claimed.forEach(row -> convertAlone(row.id()));
    return claimed.size();
  }

  private void convertAlone(long id) {
    RuntimeException last = null;
    for (boolean references : new boolean[] {true, false}) {
      try {
        List<PhiAccessJournal.Row> claimed = new ArrayList<>();
        trail.appendAll(() -> {
          claimed.addAll(journal.claim(id, java.time.Instant.now()));
          return events(claimed, references);
        }, () -> journal.remove(readable(claimed)));
        converted.addAndGet(readable(claimed).size());
        return;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    failed(id, last.toString());
  }

  /** A row the chain refused alone: tried again later, refused for good after several failures. */
  private void failed(long id, String error) {
    boolean refusedNow;
    try {
      refusedNow = journal.failed(id, error, java.time.Instant.now());
    } catch (RuntimeException e) {
      LOG.error("PHI access journal row {} not converted, and its failure not recorded: {}", id, e.toString());
      return;
    }
    if (refusedNow) {
      refuse(id, error);
    } else {
      LOG.warn("PHI access journal row {} not converted, to be tried again: {}", id, error);
    }
  }

  /** Counts and reports a row marked refused. */
  private void refuse(long id, String error) {
    refused.incrementAndGet();
    LOG.error("PHI access journal row {} refused by the audit chain, kept in the journal: {}", id, error);
    try {
      refusedAlarm.accept(id, error);
    } catch (RuntimeException e) {
      LOG.error("PHI access refusal alarm not delivered: {}", e.toString());
    }
  }

  private void refuseUnreadable(long id) {
    try {
      journal.refuse(id, "the row cannot be read as a PHI access");
    } catch (RuntimeException e) {
      LOG.error("PHI access journal row {} could not be marked refused: {}", id, e.toString());
      return;
    }
    refuse(id, "the row cannot be read as a PHI access");
  }

  private static List<PhiAccessJournal.Row> readable(List<PhiAccessJournal.Row> rows) {
    return rows.stream().filter(r -> r.access() != null).toList();
  }

  /** The BALP events of the readable rows, each with the node that recorded it. */
  private static List<AuditEvent> events(List<PhiAccessJournal.Row> rows, boolean references) {
    List<AuditEvent> events = new ArrayList<>();
    for (PhiAccessJournal.Row row : rows) {
      if (row.access() != null) {
        events.addAll(new BalpEvents(row.node()).of(row.access(), references));
      }
    }
    return events;
  }
}
