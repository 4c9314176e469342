package io.seedtrace.server.security.http;

import io.seedtrace.core.trace.AddressRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reverse proxies whose forwarding headers are believed ({@code seedtrace.security.trusted-proxies}).
 * A request's hops are walked from the direct peer backwards: while a hop is a trusted proxy, the
 * address it says it received the request from is believed; the first hop that is not a trusted
 * proxy is the originating address. What that hop claims about earlier hops is its own word, and
 * is ignored.
 */
public final class TrustedProxies {

  private final List<AddressRange> ranges;

  private TrustedProxies(List<AddressRange> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * @throws IllegalArgumentException naming every entry that is not an address or CIDR range (names
   *     are not accepted: they would be resolved on every request)
   */
  public static TrustedProxies of(List<String> entries) {
    List<AddressRange> ranges = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String entry : entries) {
      Optional<AddressRange> range = entry.isBlank() ? Optional.empty() : AddressRange.parse(entry);
      range.ifPresentOrElse(ranges::add, () -> bad.add("'" + entry + "'"));
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("seedtrace.security.trusted-proxies: " + String.join(", ", bad)
          + " is not an IP address or CIDR range");
    }
    return new TrustedProxies(ranges);
  }

  public boolean trusts(String address) {
    return ranges.stream().anyMatch(r -> r.contains(address));
  }

  /**
   * The hops that are believed, the originating address first and the direct peer last.
   *
   * @param claimedHops the addresses the forwarding headers name, in header order (the client
   *     first, each proxy appending the address it received the request from)
   */
  public List<String> believedPath(String directPeer, List<String> claimedHops) {
    List<String> path = new ArrayList<>();
    path.add(directPeer);
    String hop = directPeer;
    for (int i = claimedHops.size() - 1; i >= 0 && trusts(hop); i--) {
      hop = claimedHops.get(i);
      path.add(0, hop);
    }
    return path;
  }
}
