package io.seedtrace.server.audit;

import io.seedtrace.server.security.http.ClientOrigin;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who made the current request, as a PHI access record names them: the token's subject and issuer,
 * the OAuth client it was issued to, and the originating address (through trusted proxies).
 */
record Requester(String user, String issuer, String client, String address) {

  /** The caller of {@code request} (null: no servlet request, so no address). */
  static Requester current(HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String user = auth == null ? "anonymous" : auth.getName();
    String issuer = "";
    String client = user;
    if (auth instanceof JwtAuthenticationToken jwt) {
      issuer = jwt.getToken().getIssuer() == null ? "" : jwt.getToken().getIssuer().toString();
      client = firstNonBlank(jwt.getToken().getClaimAsString("client_id"), jwt.getToken().getClaimAsString("azp"), user);
    }
    String address = request == null ? "" : ClientOrigin.of(request).address();
    return new Requester(user, issuer, client, address);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "";
  }
}
