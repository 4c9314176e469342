package io.seedtrace.routes.dicom;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The most recent "series stable" events the hub routed, newest first, for operators and tests.
 * Bounded: it keeps the last {@code capacity} events.
 */
public final class SeriesArrivals {

  private final int capacity;
  private final Deque<SeriesStableEvent> recent = new ArrayDeque<>();

  public SeriesArrivals(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  public synchronized void record(SeriesStableEvent event) {
    recent.addFirst(event);
    while (recent.size() > capacity) {
      recent.removeLast();
    }
  }

  public synchronized List<SeriesStableEvent> recent() {
    return new ArrayList<>(recent);
  }
}
