package io.seedtrace.server.security.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;

/**
 * Where a request came from, as far as it can be believed: the originating address (resolved
 * through the trusted proxies), the believed path to us and, when a trusted proxy says so, the
 * scheme and host the client used. Put on each request by {@link ClientOriginFilter}.
 *
 * @param address the originating address: the direct peer, or the first address a trusted proxy
 *     names that is not itself a trusted proxy
 * @param path the believed hops, {@code address} first and the direct peer last
 * @param forwardedProto the scheme a trusted proxy says the client used, if it says
 * @param forwardedHost the host (and port) a trusted proxy says the client asked for, if it says
 */
public record ClientOrigin(String address, List<String> path, Optional<String> forwardedProto,
    Optional<String> forwardedHost) {

  static final String ATTRIBUTE = ClientOrigin.class.getName();

  public ClientOrigin {
    path = List.copyOf(path);
  }

  /** The origin the filter found for this request; the bare peer when the filter did not run. */
  public static ClientOrigin of(HttpServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof ClientOrigin origin) {
      return origin;
    }
    String peer = request.getRemoteAddr();
    return new ClientOrigin(peer, List.of(peer), Optional.empty(), Optional.empty());
  }
}
