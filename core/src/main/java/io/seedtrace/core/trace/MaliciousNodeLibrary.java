package io.seedtrace.core.trace;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The malicious communication node library of MISSION.md claim 3: addresses, CIDR ranges and relay
 * node ids that had communication failures or leaked information. An administrator lists entries;
 * a node is also listed automatically after {@code maxFailures} failed or aborted trace calls within
 * {@code window}. {@link #firstMaliciousHop} checks a request's whole path.
 */
public final class MaliciousNodeLibrary {

  private final Set<String> nodeIds = new LinkedHashSet<>();
  private final Set<Cidr> ranges = new LinkedHashSet<>();
  private final Map<String, Deque<Instant>> failures = new HashMap<>();
  private final int maxFailures;
  private final Duration window;
  private final Clock clock;

  public MaliciousNodeLibrary(int maxFailures, Duration window, Clock clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be positive");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** Lists an IP address, a CIDR range ({@code 10.1.0.0/16}, {@code 2001:db8::/32}) or a node id. */
  public synchronized void add(String entry) {
    Optional<Cidr> cidr = Cidr.parse(entry);
    if (cidr.isPresent()) {
      ranges.add(cidr.get());
    } else {
      nodeIds.add(entry);
    }
  }

  public synchronized boolean remove(String entry) {
    return Cidr.parse(entry).map(ranges::remove).orElse(false) || nodeIds.remove(entry);
  }

  /** Records a failed or aborted trace call from {@code node}; lists it when the failures pile up. */
  public synchronized boolean recordFailure(String node) {
    Instant now = clock.instant();
    Deque<Instant> times = failures.computeIfAbsent(node, n -> new ArrayDeque<>());
    times.addLast(now);
    while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
      times.removeFirst();
    }
    if (times.size() >= maxFailures) {
      add(node);
      failures.remove(node);
      return true;
    }
    return false;
  }

  /** The first hop of the path that is listed, if any. */
  public synchronized Optional<String> firstMaliciousHop(TransmissionPath path) {
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

  public synchronized List<String> entries() {
    List<String> all = new java.util.ArrayList<>(ranges.stream().map(Cidr::toString).toList());
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
