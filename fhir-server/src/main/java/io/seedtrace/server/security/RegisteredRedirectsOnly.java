package io.seedtrace.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Looks at every request to {@code /oauth2/authorize} before the authorization server does: the
 * client must be registered for the authorization code grant and name one of its registered
 * redirect URIs exactly (or name none and have exactly one). Otherwise the request is refused with
 * 400 and <em>no</em> redirect, so the endpoint never sends a browser to an address the request
 * chose (an open redirect; the server's own checks redirect some errors to the requested URI).
 * Clients of the embedded issuer use the client-credentials grant and have no redirect URI, so
 * every authorization request ends here. When all is in order it returns {@code null} and the
 * server's own converters go on.
 */
final class RegisteredRedirectsOnly implements AuthenticationConverter {

  private final RegisteredClientRepository clients;

  RegisteredRedirectsOnly(RegisteredClientRepository clients) {
    this.clients = clients;
  }

  @Override
  public Authentication convert(HttpServletRequest request) {
    String clientId = request.getParameter("client_id");
    RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
    if (client == null) {
      refuse(OAuth2ErrorCodes.INVALID_REQUEST, "unknown client_id");
    }
    if (!client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
      refuse(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "the client is not registered for the authorization code grant");
    }
    String asked = request.getParameter("redirect_uri");
    boolean registered = asked == null || asked.isBlank() ? client.getRedirectUris().size() == 1
        : client.getRedirectUris().contains(asked);
    if (!registered) {
      refuse(OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not one the client registered");
    }
    return null;
  }

  private static void refuse(String code, String description) {
    // without an authentication in the exception the error is answered here, never redirected
    throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null), null);
  }
}
