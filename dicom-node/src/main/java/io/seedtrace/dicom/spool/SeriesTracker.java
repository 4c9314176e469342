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
 * <p>Time is an injected {@link Clock} and {@link #tick()} is called by a scheduler (or a test),
 * so tests need no sleeps.
 */
public final class SeriesTracker {

  private static final Logger LOG = Logger.getLogger(SeriesTracker.class.getName());

  private final Path stateDir;
  private final Duration quietTime;
  private final Clock clock;
  private final SeriesListener listener;
  private final Map<String, Series> series = new LinkedHashMap<>();

  private static final class Series {
    final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
    Instant lastReceived;
    int delivered;
    Instant retryAfter = Instant.MIN;
    int failures;
  }

  public SeriesTracker(Path spoolRoot, Duration quietTime, Clock clock, SeriesListener listener) {
    this.stateDir = spoolRoot.resolve(".series");
    this.quietTime = quietTime;
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
    Series s = series.computeIfAbsent(record.seriesUid(), uid -> {
      Series fresh = new Series();
      fresh.delivered = readDelivered(uid);
      return fresh;
    });
    s.instances.put(record.sopInstanceUid(), record);
    s.lastReceived = clock.instant();
  }

  /** Rebuilds the state after a restart from the spool index; series not fully delivered are due again. */
  public synchronized void recover(List<InstanceRecord> indexed) {
    for (InstanceRecord r : indexed) {
      accept(r);
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
        if (s.instances.size() > s.delivered && !s.lastReceived.plus(quietTime).isAfter(now)
            && !s.retryAfter.isAfter(now)) {
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

  private SeriesStableEvent event(Series s) {
    InstanceRecord any = s.instances.values().iterator().next();
    List<Path> paths = s.instances.values().stream().map(InstanceRecord::path).toList();
    return new SeriesStableEvent(any.studyUid(), any.seriesUid(), any.frameOfReferenceUid(), any.modality(),
        any.sopClassUid(), any.patientId(), any.accessionNumber(), s.instances.size(), paths, s.delivered > 0);
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
