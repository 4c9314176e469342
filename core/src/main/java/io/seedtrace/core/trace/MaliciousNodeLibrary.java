package io.seedtrace.core.trace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The malicious communication node library of MISSION.md claim 3: addresses, CIDR ranges and relay
 * node ids that had communication failures or leaked information. An entry is either
 * {@link Listing#CONFIRMED confirmed} (listed by an administrator, or a quarantine an administrator
 * confirmed) or {@link Listing#QUARANTINED quarantined}: listed automatically after {@code maxFailures}
 * (or a per-call threshold) failed trace calls within {@code window}. Node ids are compared without
 * regard to case. {@link #firstListedHop} checks a request's whole path.
 *
 * <p>Entries, their listing and the failures counted per key are kept in a {@link MaliciousNodeStore}:
 * in memory by default, in the database on the server, where every node reads the same list on
 * every check and counts the same failures.
 */
public final class MaliciousNodeLibrary {

  /** How an entry came into the library. */
  public enum Listing {
    /** Listed by an administrator, or an automatic listing an administrator confirmed. */
    CONFIRMED,
    /** Listed automatically after repeated failures; not yet confirmed by an administrator. */
    QUARANTINED
  }

  /** A listed node and how it was listed. */
  public record ListedNode(String node, Listing listing) {
    public boolean confirmed() {
      return listing == Listing.CONFIRMED;
    }
  }

  private final MaliciousNodeStore store;
  private final int maxFailures;
  private final Duration window;
  private final Clock clock;

  /** A library kept in memory. */
  public MaliciousNodeLibrary(int maxFailures, Duration window, Clock clock) {
    this(maxFailures, window, clock, MaliciousNodeStore.inMemory());
  }

  public MaliciousNodeLibrary(int maxFailures, Duration window, Clock clock, MaliciousNodeStore store) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be positive");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
    this.store = store;
  }

  /**
   * Lists an IP address, a CIDR range ({@code 10.1.0.0/16}, {@code 2001:db8::/32}) or a node id as
   * confirmed: an administrator's listing, which also confirms a quarantine of the same entry.
   */
  public void add(String entry) {
    list(entry, Listing.CONFIRMED);
  }

  /** Quarantines an entry, unless it is listed already (a confirmed entry stays confirmed). */
  public void quarantine(String entry) {
    list(entry, Listing.QUARANTINED);
  }

  /**
   * Lists an entry: {@link Listing#CONFIRMED} lists or confirms it, {@link Listing#QUARANTINED} lists
   * it only if it is not listed yet.
   *
   * @return whether the entry was not listed before
   */
  public boolean list(String entry, Listing listing) {
    return store.list(stored(entry, store.listings()), listing);
  }

  /** Removes an entry (confirmed or quarantined) and forgets the failures counted for it. */
  public boolean remove(String entry) {
    store.forgetFailures(key(entry));
    return store.unlist(stored(entry, store.listings()));
  }

  /** How {@code entry} itself (not a range holding it) is listed, if it is. */
  public Optional<Listing> listing(String entry) {
    List<ListedNode> all = store.listings();
    String stored = stored(entry, all);
    return all.stream().filter(l -> l.node().equals(stored)).map(ListedNode::listing).findFirst();
  }

  /** Records a failed trace call from {@code node}, with the library's threshold. */
  public boolean recordFailure(String node) {
    return recordFailure(node, maxFailures);
  }

  /**
   * Records a failed trace call from {@code node} (an address, a node id or another caller key);
   * quarantines it when {@code threshold} failures fall within the window. Failures are counted in
   * the store, so every node sharing it adds to the same count.
   *
   * @return whether this failure quarantined the node
   */
  public boolean recordFailure(String node, int threshold) {
    Instant now = clock.instant();
    String key = key(node);
    if (store.recordFailure(key, now, now.minus(window)) >= threshold) {
      store.forgetFailures(key);
      return store.list(stored(node, store.listings()), Listing.QUARANTINED);
    }
    return false;
  }

  /** The normal form of an entry or failure key: trimmed, lower case. */
  private static String key(String entry) {
    return entry.trim().toLowerCase(Locale.ROOT);
  }

  /** The form in which {@code entry} is (or would be) stored: an equal range already listed keeps its text. */
  private static String stored(String entry, List<ListedNode> all) {
    Optional<AddressRange> cidr = AddressRange.parse(entry);
    if (cidr.isPresent()) {
      for (ListedNode l : all) {
        if (AddressRange.parse(l.node()).filter(cidr.get()::equals).isPresent()) {
          return l.node();
        }
      }
    }
    return key(entry);
  }

  /** The first hop of the path that is listed (confirmed or quarantined), if any. */
  public Optional<String> firstMaliciousHop(TransmissionPath path) {
    return firstListedHop(path).map(ListedNode::node);
  }

  /**
   * The listed hops of the path (as listed now, by whichever node): the first confirmed one if any
   * hop is confirmed, else the first quarantined one.
   */
  public Optional<ListedNode> firstListedHop(TransmissionPath path) {
    Map<String, Listing> nodeIds = new LinkedHashMap<>();
    Map<AddressRange, Listing> ranges = new LinkedHashMap<>();
    for (ListedNode entry : store.listings()) {
      Optional<AddressRange> cidr = AddressRange.parse(entry.node());
      if (cidr.isPresent()) {
        ranges.merge(cidr.get(), entry.listing(), MaliciousNodeLibrary::stronger);
      } else {
        nodeIds.merge(key(entry.node()), entry.listing(), MaliciousNodeLibrary::stronger);
      }
    }
    List<ListedNode> listed = new ArrayList<>();
    for (String node : path.nodeIds()) {
      Optional.ofNullable(nodeIds.get(key(node))).ifPresent(l -> listed.add(new ListedNode(node, l)));
    }
    for (String address : path.addresses()) {
      addressListing(address, nodeIds, ranges).ifPresent(l -> listed.add(new ListedNode(address, l)));
    }
    return listed.stream().filter(ListedNode::confirmed).findFirst().or(() -> listed.stream().findFirst());
  }

  private static Listing stronger(Listing a, Listing b) {
    return a == Listing.CONFIRMED || b == Listing.CONFIRMED ? Listing.CONFIRMED : a;
  }

  private static Optional<Listing> addressListing(String address, Map<String, Listing> nodeIds,
      Map<AddressRange, Listing> ranges) {
    Listing named = nodeIds.get(key(address));
    Optional<byte[]> ip = AddressRange.numeric(address);
    List<Listing> found = new ArrayList<>();
    if (named != null) {
      found.add(named);
    }
    ip.ifPresent(bytes -> ranges.forEach((range, listing) -> {
      if (range.contains(bytes)) {
        found.add(listing);
      }
    }));
    return found.contains(Listing.CONFIRMED) ? Optional.of(Listing.CONFIRMED) : found.stream().findFirst();
  }

  /** The listed ranges and addresses, then the node ids. */
  public List<String> entries() {
    return listings().stream().map(ListedNode::node).toList();
  }

  /** Every entry with how it was listed: ranges and addresses first, then node ids. */
  public List<ListedNode> listings() {
    List<ListedNode> all = new ArrayList<>();
    List<ListedNode> nodeIds = new ArrayList<>();
    for (ListedNode entry : store.listings()) {
      (AddressRange.parse(entry.node()).isPresent() ? all : nodeIds).add(entry);
    }
    all.addAll(nodeIds);
    return all;
  }
}
