package io.seedtrace.server.security.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows down the guessing of secrets: client secrets at {@code POST /oauth2/token} and console
 * passwords at {@code POST /login}. Failures are counted per client id (or user name) and
 * originating address ({@link ClientOrigin}); once a key has used its free failures, every try
 * during its backoff, right or wrong, is answered {@code 429 Too Many Requests} with
 * {@code Retry-After} and is not looked at. Other clients and other addresses are not affected.
 */
public class SignInThrottleFilter extends OncePerRequestFilter {

  static final String TOKEN_PATH = "/oauth2/token";
  static final String LOGIN_PATH = "/login";
  private static final Logger LOG = LoggerFactory.getLogger(SignInThrottleFilter.class);

  private final SignInBackoff backoff;

  public SignInThrottleFilter(HttpProperties.SignInThrottle settings) {
    this.backoff = new SignInBackoff(settings, Clock.systemUTC());
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !"POST".equals(request.getMethod()) || !(path.equals(TOKEN_PATH) || path.equals(LOGIN_PATH));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean token = request.getRequestURI().equals(TOKEN_PATH);
    String who = (token ? clientId(request) : Optional.ofNullable(request.getParameter("username")))
        .map(w -> w.trim().toLowerCase(Locale.ROOT)).orElse("");
    String key = who + "@" + ClientOrigin.of(request).address();
    Optional<Duration> wait = backoff.wait(key);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      LOG.warn("sign-in by '{}' from {} refused: too many wrong secrets, {} s to wait", who,
          ClientOrigin.of(request).address(), seconds);
      response.setHeader("Retry-After", Long.toString(seconds));
      OperationOutcomes.send(response, 429, "too many wrong secrets for this client from this address; retry after "
          + seconds + " s");
      return;
    }
    chain.doFilter(request, response);
    if (token ? response.getStatus() == 401 : loginFailed(response)) {
      backoff.failed(key);
    } else if (token ? response.getStatus() == 200 : response.getStatus() == 302) {
      backoff.succeeded(key);
    }
  }

  private static boolean loginFailed(HttpServletResponse response) {
    String location = response.getHeader("Location");
    return response.getStatus() == 302 && location != null && location.contains(LOGIN_PATH + "?error");
  }

  /**
   * The client id of a token request: from HTTP Basic authentication, else the form's client_id,
   * else (SMART Backend Services) the issuer of the client assertion, read unverified, for counting only.
   */
  private static Optional<String> clientId(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return Optional.of(java.net.URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformed) {
        return Optional.of("");
      }
    }
    String clientId = request.getParameter("client_id");
    String assertion = request.getParameter("client_assertion");
    if (clientId == null && assertion != null) {
      try {
        return Optional.ofNullable(com.nimbusds.jwt.JWTParser.parse(assertion).getJWTClaimsSet().getIssuer());
      } catch (java.text.ParseException malformed) {
        return Optional.of("");
      }
    }
    return Optional.ofNullable(clientId);
  }
}
