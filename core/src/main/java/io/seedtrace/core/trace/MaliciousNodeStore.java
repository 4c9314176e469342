package io.seedtrace.core.trace;

import io.seedtrace.core.trace.MaliciousNodeLibrary.ListedNode;
import io.seedtrace.core.trace.MaliciousNodeLibrary.Listing;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the {@link MaliciousNodeLibrary} keeps its entries, how each was listed, and the failures it
 * counts per key. In memory for one process ({@link #inMemory()}); the server keeps them in its
 * database, so that every node sharing the database sees a listing (and its kind) and counts
 * failures together. Entries and keys are given in the library's normal form (trimmed, lower
 * case); the store compares them exactly.
 */
public interface MaliciousNodeStore {

  /**
   * Lists an entry (address, CIDR range or node id). {@link Listing#CONFIRMED} lists it or confirms
   * its quarantine; {@link Listing#QUARANTINED} lists it only if it is not listed at all, so a
   * quarantine never downgrades a confirmed entry.
   *
   * @return whether the entry was not listed before (this call listed it)
   */
  boolean list(String entry, Listing listing);

  /** Removes an entry, confirmed or quarantined; false if it was not listed. */
  boolean unlist(String entry);

  /** Every listed entry with how it was listed, oldest first. */
  List<ListedNode> listings();

  /** Every listed entry, oldest first. */
  default List<String> listed() {
    return listings().stream().map(ListedNode::node).toList();
  }

  /**
   * Records a failure of {@code key} at {@code at}, forgets its failures before {@code since}, and
   * returns how many are left (this one included).
   */
  int recordFailure(String key, Instant at, Instant since);

  /** Forgets every failure recorded for {@code key}. */
  void forgetFailures(String key);

  /** A store that lives and dies with this object. */
  static MaliciousNodeStore inMemory() {
    return new MaliciousNodeStore() {
      private final Map<String, Listing> entries = new LinkedHashMap<>();
      private final Map<String, Deque<Instant>> failures = new HashMap<>();

      @Override
      public synchronized boolean list(String entry, Listing listing) {
        Listing before = entries.get(entry);
        if (before == null || listing == Listing.CONFIRMED) {
          entries.put(entry, listing);
        }
        return before == null;
      }

      @Override
      public synchronized boolean unlist(String entry) {
        return entries.remove(entry) != null;
      }

      @Override
      public synchronized List<ListedNode> listings() {
        List<ListedNode> all = new ArrayList<>();
        entries.forEach((entry, listing) -> all.add(new ListedNode(entry, listing)));
        return all;
      }

      @Override
      public synchronized int recordFailure(String key, Instant at, Instant since) {
        Deque<Instant> times = failures.computeIfAbsent(key, n -> new ArrayDeque<>());
        times.addLast(at);
        while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
          times.removeFirst();
        }
        return times.size();
      }

      @Override
      public synchronized void forgetFailures(String key) {
        failures.remove(key);
      }
    };
  }
}
