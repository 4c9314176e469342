package io.seedtrace.server.security.smart;

import io.seedtrace.server.security.SmartScopes;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Which scopes a client-credentials request may ask for: the client's own role names (as before),
 * and any SMART system scope ({@code system/*.rs}, {@code system/DiagnosticReport.read}, ...). A
 * SMART scope never widens what the client's roles allow ({@code FhirAccessInterceptor} applies
 * both), so every well-formed one is granted as asked. Patient and user scopes, scopes with
 * {@code ?} restrictions and anything else are {@code invalid_scope}.
 */
public final class SmartScopeValidator implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

  /** The client setting holding a client's role names. */
  public static final String ROLES_SETTING = "seedtrace.roles";

  @Override
  public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
    OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
    Set<String> roles = Set.copyOf(rolesOf(context.getRegisteredClient()));
    for (String scope : request.getScopes()) {
      if (!roles.contains(scope) && !SmartScopes.isSystemScope(scope)) {
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
            "scope '" + scope + "' is neither a role of this client nor a SMART system scope", null));
      }
    }
  }

  /** A registered client's role names. */
  public static List<String> rolesOf(RegisteredClient client) {
    Object roles = client.getClientSettings().getSetting(ROLES_SETTING);
    return roles instanceof Collection<?> c ? c.stream().map(String::valueOf).toList() : List.copyOf(client.getScopes());
  }
}
