package io.seedtrace.dicom.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns stored instances into "series stable" events: when a series has had no new instance for
 * the quiet time, one event with everything known about the series is delivered to the listener.
 * What was delivered is remembered in {@code <spool>/.series/<SeriesUID>} (the instance count), so
 * after a restart {@link #recover(List)} re-emits every series whose instances outnumber what was
 * delivered, and nothing acknowledged goes without its event.
 *
 * <p>A series that does not look whole ({@link SeriesCompleteness}: a gap in its slice positions or
 * instance numbers, or an association that carried it ended without a release), or that an open
 * association is still carrying, waits up to the incomplete grace period after its last instance
 * for the rest; then its event goes out saying what is missing. Which series an association is
 * carrying is marked in {@code .series/<SeriesUID>.open}, so a series whose transfer a crash of this
 * process cut off counts as interrupted after the restart ({@code .series/<SeriesUID>.interrupted}).
 *
 * <p>Time is an injected {@link Clock} and {@link #tick()} is called by a scheduler (or a test),
 * so tests need no sleeps.
 */
public final class SeriesTracker implements AssociationListener {

  private static final Logger LOG = Logger.getLogger(SeriesTracker.class.getName());

  private final Path stateDir;
  private final Duration quietTime;
  private final Duration incompleteGrace;
  private final Clock clock;
  private final SeriesListener listener;
  private final Map<String, Series> series = new LinkedHashMap<>();

  private static final class Series {
    final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
    Instant lastReceived;
    int delivered;
    Instant retryAfter = Instant.MIN;
    int failures;
    int openAssociations;
    boolean interrupted;
  }

  /** A tracker that waits for no missing instance: every series goes out after the quiet time. */
  public SeriesTracker(Path spoolRoot, Duration quietTime, Clock clock, SeriesListener listener) {
    this(spoolRoot, quietTime, Duration.ZERO, clock, listener);
  }

  /**
   * @param incompleteGrace how long after its last instance a series that is not whole (or still
   *     being carried by an open association) waits for the rest before its event goes out anyway
   */
  public SeriesTracker(Path spoolRoot, Duration quietTime, Duration incompleteGrace, Clock clock,
      SeriesListener listener) {
    this.stateDir = spoolRoot.resolve(".series");
    this.quietTime = quietTime;
    this.incompleteGrace = incompleteGrace;
    this.clock = clock;
    this.listener = listener;
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a durable instance; its series becomes stable again after the quiet time. */
  public synchronized void accept(InstanceRecord record) {
    Series s = seriesOf(record.seriesUid());
    s.instances.put(record.sopInstanceUid(), record);
    s.lastReceived = clock.instant();
  }

  private Series seriesOf(String seriesUid) {
    return series.computeIfAbsent(seriesUid, uid -> {
      Series fresh = new Series();
      fresh.delivered = readDelivered(uid);
      fresh.interrupted = Files.exists(marker(uid, INTERRUPTED));
      fresh.lastReceived = clock.instant();
      return fresh;
    });
  }

  @Override
  public synchronized void carried(String seriesUid) {
    Series s = seriesOf(seriesUid);
    s.openAssociations++;
    mark(seriesUid, OPEN, true);
  }

  /**
   * An orderly release after an interruption means the sender finished its transfer again, so the
   * interruption no longer counts; an abort marks the series interrupted.
   */
  @Override
  public synchronized void ended(String seriesUid, boolean released) {
    Series s = seriesOf(seriesUid);
    s.openAssociations = Math.max(0, s.openAssociations - 1);
    s.interrupted = !released;
    mark(seriesUid, INTERRUPTED, !released);
    if (s.openAssociations == 0) {
      mark(seriesUid, OPEN, false);
    }
  }

  /**
   * Rebuilds the state after a restart from the spool index; series not fully delivered are due
   * again, and a series an association was still carrying when the process ended is interrupted.
   */
  public synchronized void recover(List<InstanceRecord> indexed) {
    for (InstanceRecord r : indexed) {
      accept(r);
    }
    for (Map.Entry<String, Series> e : series.entrySet()) {
      if (Files.exists(marker(e.getKey(), OPEN))) {
        e.getValue().interrupted = true;
        mark(e.getKey(), INTERRUPTED, true);
        mark(e.getKey(), OPEN, false);
      }
    }
    series.values().removeIf(s -> s.instances.size() <= s.delivered);
  }

  /** Series that still have undelivered instances. */
  public synchronized int pendingSeries() {
    return (int) series.values().stream().filter(s -> s.instances.size() > s.delivered).count();
  }

  /** Delivers every series that has been quiet long enough; returns how many were delivered. */
  public int tick() {
    List<Map.Entry<String, SeriesStableEvent>> due = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Map.Entry<String, Series> e : series.entrySet()) {
        Series s = e.getValue();
        if (isDue(s, now)) {
          due.add(Map.entry(e.getKey(), event(s)));
        }
      }
    }
    int delivered = 0;
    for (Map.Entry<String, SeriesStableEvent> d : due) {
      try {
        listener.onSeriesStable(d.getValue());
        synchronized (this) {
          Series s = series.get(d.getKey());
          s.delivered = Math.max(s.delivered, d.getValue().instanceCount());
          s.failures = 0;
          writeDelivered(d.getKey(), s.delivered);
        }
        delivered++;
      } catch (Exception failure) {
        synchronized (this) {
          Series s = series.get(d.getKey());
          s.failures++;
          long backoff = Math.min(60_000L, 500L << Math.min(s.failures, 7));
          s.retryAfter = clock.instant().plusMillis(backoff);
        }
        LOG.log(Level.WARNING, "Series event for " + d.getKey() + " not delivered; will retry", failure);
      }
    }
    return delivered;
  }

  /** Quiet, not backing off, and either whole and no longer carried or past the grace period. */
  private boolean isDue(Series s, Instant now) {
    if (s.instances.size() <= s.delivered || s.lastReceived.plus(quietTime).isAfter(now) || s.retryAfter.isAfter(now)) {
      return false;
    }
    boolean settled = s.openAssociations == 0 && completeness(s).complete();
    return settled || !s.lastReceived.plus(incompleteGrace).isAfter(now);
  }

  private static SeriesCompleteness completeness(Series s) {
    return SeriesCompleteness.of(List.copyOf(s.instances.values()), s.interrupted);
  }

  private SeriesStableEvent event(Series s) {
    InstanceRecord any = s.instances.values().iterator().next();
    List<Path> paths = s.instances.values().stream().map(InstanceRecord::path).toList();
    return new SeriesStableEvent(any.studyUid(), any.seriesUid(), any.frameOfReferenceUid(), any.modality(),
        any.sopClassUid(), any.patientId(), any.accessionNumber(), s.instances.size(), paths, s.delivered > 0,
        completeness(s));
  }

  private static final String OPEN = ".open";
  private static final String INTERRUPTED = ".interrupted";

  private Path marker(String seriesUid, String kind) {
    return stateDir.resolve(seriesUid + kind);
  }

  /** Sets or clears a marker file; failing that, the state in memory still holds until a restart. */
  private void mark(String seriesUid, String kind, boolean set) {
    Path file = marker(seriesUid, kind);
    try {
      if (set) {
        if (!Files.exists(file)) {
          Files.createFile(file);
        }
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not " + (set ? "set " : "clear ") + file, e);
    }
  }

  private int readDelivered(String seriesUid) {
    Path file = stateDir.resolve(seriesUid);
    try {
      return Files.exists(file) ? Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0; // unreadable: deliver again (at least once)
    }
  }

  private void writeDelivered(String seriesUid, int count) {
    Path file = stateDir.resolve(seriesUid);
    Path tmp = stateDir.resolve(seriesUid + ".tmp");
    try {
      Files.writeString(tmp, Integer.toString(count), StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not record delivery of series " + seriesUid + "; it may be delivered again", e);
    }
  }

  /** For diagnostics: series UID to instances received. */
  public synchronized Map<String, Integer> counts() {
    Map<String, Integer> out = new HashMap<>();
    series.forEach((k, v) -> out.put(k, v.instances.size()));
    return out;
  }
}
