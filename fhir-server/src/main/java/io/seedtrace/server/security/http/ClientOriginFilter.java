package io.seedtrace.server.security.http;

import io.seedtrace.core.trace.TransmissionPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Works out each request's {@link ClientOrigin} once, before anything else reads it: forwarding
 * headers ({@code Forwarded}, {@code X-Forwarded-For}, {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host}) count only when the direct peer is a trusted proxy.
 */
public class ClientOriginFilter extends OncePerRequestFilter {

  private final TrustedProxies proxies;

  public ClientOriginFilter(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    request.setAttribute(ClientOrigin.ATTRIBUTE, originOf(request));
    chain.doFilter(request, response);
  }

  ClientOrigin originOf(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    if (!proxies.trusts(peer)) {
      return new ClientOrigin(peer, List.of(peer), Optional.empty(), Optional.empty());
    }
    List<String> claimed = TransmissionPath.of(peer, headers(request, "Forwarded"), headers(request, "X-Forwarded-For"),
        List.of()).addresses();
    List<String> path = proxies.believedPath(peer, claimed.subList(0, claimed.size() - 1));
    return new ClientOrigin(path.get(0), path, lastValue(request, "X-Forwarded-Proto")
        .map(p -> p.toLowerCase(Locale.ROOT)).filter(p -> p.equals("http") || p.equals("https")),
        lastValue(request, "X-Forwarded-Host").filter(h -> h.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")));
  }

  private static List<String> headers(HttpServletRequest request, String name) {
    return Collections.list(request.getHeaders(name));
  }

  /** The value the nearest proxy appended (the last of a comma-separated list). */
  private static Optional<String> lastValue(HttpServletRequest request, String name) {
    String value = request.getHeader(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String[] values = value.split(",");
    return Optional.of(values[values.length - 1].trim()).filter(v -> !v.isEmpty());
  }
}
