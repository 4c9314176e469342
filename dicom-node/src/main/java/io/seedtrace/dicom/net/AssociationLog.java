package io.seedtrace.dicom.net;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last associations that stored instances, for the administrator: who called (AE title and
 * address), when, how many instances they sent, and whether they ended with a release or broke
 * off. Wraps the store handler, so it sees exactly what the spool sees; keeps at most
 * {@code capacity} associations, the oldest forgotten first. Associations that were rejected or
 * stored nothing (a C-ECHO) are not in it.
 */
public final class AssociationLog implements StoreHandler {

  /**
   * One association as far as it went.
   *
   * @param ended null while it is still open
   * @param released null while open; true for an orderly release, false for an abort or a lost connection
   */
  public record Entry(String callingAe, String remoteAddress, Instant started, int instances, Instant ended,
      Boolean released) {}

  private final StoreHandler store;
  private final Clock clock;
  private final Map<String, Entry> entries;

  public AssociationLog(StoreHandler store, int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.store = store;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public Sink begin(StoreContext context) throws IOException {
    if (context.associationId() != null) {
      synchronized (entries) {
        Entry e = entries.get(context.associationId());
        entries.put(context.associationId(), e == null
            ? new Entry(context.callingAe(), context.remoteAddress(), clock.instant(), 1, null, null)
            : new Entry(e.callingAe(), e.remoteAddress(), e.started(), e.instances() + 1, null, null));
      }
    }
    return store.begin(context);
  }

  @Override
  public void associationEnded(String associationId, boolean released) {
    synchronized (entries) {
      Entry e = entries.get(associationId);
      if (e != null) {
        entries.put(associationId, new Entry(e.callingAe(), e.remoteAddress(), e.started(), e.instances(),
            clock.instant(), released));
      }
    }
    store.associationEnded(associationId, released);
  }

  /** The associations kept, newest first. */
  public List<Entry> recent() {
    List<Entry> list;
    synchronized (entries) {
      list = new ArrayList<>(entries.values());
    }
    Collections.reverse(list);
    return list;
  }
}
