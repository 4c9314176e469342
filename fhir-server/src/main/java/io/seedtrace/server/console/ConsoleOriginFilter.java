package io.seedtrace.server.console;

import io.seedtrace.server.security.http.ClientOrigin;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (403) a Jolokia request that a page of another origin made a browser send: one whose
 * {@code Origin} (or, without it, {@code Referer}) names a scheme, host or port other than this
 * server's as the browser addressed it. Requests from programs, which send neither, pass on to the
 * usual checks. With the CSRF token and the SameSite session cookie this is the third wall against
 * driving the console from another site.
 */
public class ConsoleOriginFilter extends OncePerRequestFilter {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleOriginFilter.class);
  private static final java.util.Set<String> SAFE = java.util.Set.of("GET", "HEAD", "OPTIONS");

  private final boolean unsafeMethodsOnly;

  /** Checks every request (Jolokia: a read there is already a disclosure). */
  public ConsoleOriginFilter() {
    this(false);
  }

  /**
   * @param unsafeMethodsOnly check only requests that change something (the people's console: a
   *     link from another site to a page is fine, a form posted from there is not)
   */
  public ConsoleOriginFilter(boolean unsafeMethodsOnly) {
    this.unsafeMethodsOnly = unsafeMethodsOnly;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (unsafeMethodsOnly && SAFE.contains(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    String claimed = request.getHeader("Origin");
    if (claimed == null) {
      claimed = originOf(request.getHeader("Referer"));
    }
    String own = ownOrigin(request);
    if (claimed != null && !claimed.toLowerCase(Locale.ROOT).equals(own)) {
      LOG.warn("console: {} {} from origin {} refused (this server is {})", request.getMethod(),
          request.getRequestURI(), claimed, own);
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "cross-origin console requests are refused");
      return;
    }
    chain.doFilter(request, response);
  }

  private static String ownOrigin(HttpServletRequest request) {
    ClientOrigin origin = ClientOrigin.of(request);
    String scheme = origin.forwardedProto().orElse(request.getScheme());
    String host = origin.forwardedHost().orElse(request.getHeader("Host"));
    return (scheme + "://" + host).toLowerCase(Locale.ROOT);
  }

  /** scheme://host[:port] of a URL, or null when there is none or it does not parse. */
  private static String originOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      java.net.URI uri = java.net.URI.create(url);
      return uri.getScheme() == null || uri.getRawAuthority() == null ? null
          : uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException unparsable) {
      return "unparsable";
    }
  }
}
