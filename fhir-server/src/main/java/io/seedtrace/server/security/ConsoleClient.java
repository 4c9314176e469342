package io.seedtrace.server.security;

import io.seedtrace.server.console.ConsoleAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The embedded issuer's clients plus one more: the people's web console, signing people in by
 * OpenID Connect's authorization code flow. It is a public client (the code is redeemed by the
 * server itself, but no secret is needed to be safe) that must use PKCE with S256, may only be sent
 * back to its one exact redirect URI ({@link RegisteredRedirectsOnly} refuses any other without
 * redirecting), asks no consent (it is this server's own console) and gets no refresh token. The
 * redirect URI is built when asked from the server's real address, so a server on a random port
 * registers the right one.
 */
final class ConsoleClient implements RegisteredClientRepository {

  /** The console's registration id on the client side: its callback is {@code /login/oauth2/code/seedtrace}. */
  public static final String REGISTRATION_ID = "seedtrace";

  private final RegisteredClientRepository others;
  private final String clientId;
  private final String id;
  private final ConsoleAddress address;
  private final Duration tokenTtl;

  ConsoleClient(RegisteredClientRepository others, String clientId, ConsoleAddress address, Duration tokenTtl) {
    this.others = others;
    this.clientId = clientId;
    this.id = UUID.nameUUIDFromBytes(("console:" + clientId).getBytes(StandardCharsets.UTF_8)).toString();
    this.address = address;
    this.tokenTtl = tokenTtl;
  }

  /** The issuer saves a client whose secret it re-encoded; the console's is built anew each time. */
  @Override
  public void save(RegisteredClient registeredClient) {
    if (!id.equals(registeredClient.getId())) {
      others.save(registeredClient);
    }
  }

  @Override
  public RegisteredClient findById(String wanted) {
    return id.equals(wanted) ? console() : others.findById(wanted);
  }

  @Override
  public RegisteredClient findByClientId(String wanted) {
    return clientId.equals(wanted) ? console() : others.findByClientId(wanted);
  }

  private RegisteredClient console() {
    return RegisteredClient.withId(id)
        .clientId(clientId)
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(address.redirectUri(REGISTRATION_ID))
        .scope(OidcScopes.OPENID)
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(tokenTtl)
            .authorizationCodeTimeToLive(Duration.ofMinutes(2)).build())
        .build();
  }
}
