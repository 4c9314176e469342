package io.seedtrace.core.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The nodes a request passed through on its way to us: every address named in RFC 7239
 * {@code Forwarded} ({@code for=}) and {@code X-Forwarded-For}, the relay node ids of the
 * {@code X-SeedTrace-Node} header, and the direct peer. Header values are given as strings (no
 * servlet API here); obfuscated or unknown identifiers ({@code unknown}, {@code _hidden}) are kept
 * as written, so a policy can refuse them.
 */
public record TransmissionPath(List<String> addresses, List<String> nodeIds) {

  public TransmissionPath {
    addresses = List.copyOf(addresses);
    nodeIds = List.copyOf(nodeIds);
  }

  public static TransmissionPath of(String directPeer, List<String> forwarded, List<String> xForwardedFor,
      List<String> nodeIdHeaders) {
    List<String> addresses = new ArrayList<>();
    for (String header : forwarded) {
      for (String element : header.split(",")) {
        for (String pair : element.split(";")) {
          String[] kv = pair.trim().split("=", 2);
          if (kv.length == 2 && kv[0].trim().toLowerCase(Locale.ROOT).equals("for")) {
            addresses.add(hostOf(unquote(kv[1].trim())));
          }
        }
      }
    }
    for (String header : xForwardedFor) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          addresses.add(hostOf(hop.trim()));
        }
      }
    }
    addresses.add(hostOf(directPeer.trim()));
    List<String> nodes = new ArrayList<>();
    for (String header : nodeIdHeaders) {
      for (String id : header.split(",")) {
        if (!id.isBlank()) {
          nodes.add(id.trim());
        }
      }
    }
    return new TransmissionPath(addresses, nodes);
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  /** Strips a port: {@code [2001:db8::1]:443} -> {@code 2001:db8::1}, {@code 10.0.0.1:80} -> {@code 10.0.0.1}. */
  static String hostOf(String node) {
    if (node.startsWith("[")) {
      int end = node.indexOf(']');
      return end > 0 ? node.substring(1, end) : node;
    }
    int colon = node.indexOf(':');
    if (colon > 0 && node.indexOf(':', colon + 1) < 0) {
      return node.substring(0, colon); // IPv4 or name with port
    }
    return node;
  }
}
