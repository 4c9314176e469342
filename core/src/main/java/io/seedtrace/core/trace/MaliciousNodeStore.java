package io.seedtrace.core.trace;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the {@link MaliciousNodeLibrary} keeps its entries and the failures it counts. In memory for
 * one process ({@link #inMemory()}); the server keeps them in its database, so that every node
 * sharing the database sees a listing and counts failures together.
 */
public interface MaliciousNodeStore {

  /** Lists an entry (address, CIDR range or node id) exactly as given; listing it again changes nothing. */
  void list(String entry);

  /** Removes an entry; false if it was not listed. */
  boolean unlist(String entry);

  /** Every listed entry, oldest first. */
  List<String> listed();

  /**
   * Records a failure of {@code node} at {@code at}, forgets its failures before {@code since}, and
   * returns how many are left (this one included).
   */
  int recordFailure(String node, Instant at, Instant since);

  /** Forgets every failure recorded for {@code node}. */
  void forgetFailures(String node);

  /** A store that lives and dies with this object. */
  static MaliciousNodeStore inMemory() {
    return new MaliciousNodeStore() {
      private final Set<String> entries = new LinkedHashSet<>();
      private final Map<String, Deque<Instant>> failures = new HashMap<>();

      @Override
      public synchronized void list(String entry) {
        entries.add(entry);
      }

      @Override
      public synchronized boolean unlist(String entry) {
        return entries.remove(entry);
      }

      @Override
      public synchronized List<String> listed() {
        return new ArrayList<>(entries);
      }

      @Override
      public synchronized int recordFailure(String node, Instant at, Instant since) {
        Deque<Instant> times = failures.computeIfAbsent(node, n -> new ArrayDeque<>());
        times.addLast(at);
        while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
          times.removeFirst();
        }
        return times.size();
      }

      @Override
      public synchronized void forgetFailures(String node) {
        failures.remove(node);
      }
    };
  }
}
