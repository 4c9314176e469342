package io.seedtrace.core.trace;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The malicious communication node library of MISSION.md claim 3: addresses, CIDR ranges and relay
 * node ids that had communication failures or leaked information. An administrator lists entries;
 * a node is also listed automatically after {@code maxFailures} failed or aborted trace calls within
 * {@code window}. {@link #firstMaliciousHop} checks a request's whole path. Entries and failures
 * are kept in a {@link MaliciousNodeStore}: in memory by default, in the database on the server,
 * where every node reads the same list and counts the same failures.
 */
public final class MaliciousNodeLibrary {

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

  /** Lists an IP address, a CIDR range ({@code 10.1.0.0/16}, {@code 2001:db8::/32}) or a node id. */
  public void add(String entry) {
    store.list(entry);
  }

  public boolean remove(String entry) {
    return store.unlist(entry);
  }

  /** Records a failed or aborted trace call from {@code node}; lists it when the failures pile up. */
  public boolean recordFailure(String node) {
    Instant now = clock.instant();
    if (store.recordFailure(node, now, now.minus(window)) >= maxFailures) {
      add(node);
      store.forgetFailures(node);
      return true;
    }
    return false;
  }

  /** The first hop of the path that is listed, if any (as listed now, by whichever node). */
  public Optional<String> firstMaliciousHop(TransmissionPath path) {
    Set<String> nodeIds = new LinkedHashSet<>();
    Set<Cidr> ranges = new LinkedHashSet<>();
    for (String entry : store.listed()) {
      Cidr.parse(entry).ifPresentOrElse(ranges::add, () -> nodeIds.add(entry));
    }
    for (String node : path.nodeIds()) {
      if (nodeIds.contains(node)) {
        return Optional.of(node);
      }
    }
    for (String address : path.addresses()) {
      if (nodeIds.contains(address)) {
        return Optional.of(address);
      }
      Optional<byte[]> ip = Cidr.literal(address);
      if (ip.isPresent() && ranges.stream().anyMatch(r -> r.contains(ip.get()))) {
        return Optional.of(address);
      }
    }
    return Optional.empty();
  }

  /** The listed ranges and addresses, then the node ids. */
  public List<String> entries() {
    List<String> all = new java.util.ArrayList<>();
    List<String> nodeIds = new java.util.ArrayList<>();
    for (String entry : store.listed()) {
      (Cidr.parse(entry).isPresent() ? all : nodeIds).add(entry);
    }
    all.addAll(nodeIds);
    return all;
  }

  /** An address range; a single address is a /32 or /128. */
  record Cidr(byte[] network, int prefix, String text) {

    static Optional<Cidr> parse(String entry) {
      String[] parts = entry.trim().split("/", 2);
      Optional<byte[]> ip = literal(parts[0]);
      if (ip.isEmpty()) {
        return Optional.empty();
      }
      int max = ip.get().length * 8;
      int prefix;
      try {
        prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (prefix < 0 || prefix > max) {
        return Optional.empty();
      }
      return Optional.of(new Cidr(ip.get(), prefix, entry.trim()));
    }

    /** The bytes of a numeric IPv4/IPv6 literal; never resolves names. */
    static Optional<byte[]> literal(String s) {
      if (s.isEmpty() || !(s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':'))
          || (s.indexOf(':') < 0 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
        return Optional.empty();
      }
      try {
        return Optional.of(InetAddress.getByName(s).getAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }

    boolean contains(byte[] ip) {
      if (ip.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < ip.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
        if ((ip[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
