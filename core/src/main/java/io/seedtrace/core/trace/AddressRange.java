package io.seedtrace.core.trace;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a
 * single address is a range of one. Only numeric literals are accepted: a name is never resolved.
 */
public final class AddressRange {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private AddressRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** The range written as {@code address} or {@code address/prefix}; empty when it is not one. */
  public static Optional<AddressRange> parse(String written) {
    String[] parts = written.trim().split("/", 2);
    Optional<byte[]> address = numeric(parts[0]);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get().length * 8;
    int length;
    try {
      length = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return length < 0 || length > bits ? Optional.empty()
        : Optional.of(new AddressRange(address.get(), length, written.trim()));
  }

  /** The bytes of a numeric IPv4 or IPv6 address; empty for a name or anything else. */
  public static Optional<byte[]> numeric(String address) {
    String s = address.trim();
    boolean ipv6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!ipv4 && !ipv6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(s).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether the numeric address {@code address} lies in this range (false for a name). */
  public boolean contains(String address) {
    return numeric(address).map(this::contains).orElse(false);
  }

  /** Whether the address (its bytes) lies in this range. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int left = prefix;
    for (int i = 0; i < address.length && left > 0; i++, left -= 8) {
      int mask = left >= 8 ? 0xFF : (0xFF << (8 - left)) & 0xFF;
      if ((address[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    return text;
  }
}
