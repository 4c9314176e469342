package io.seedtrace.server.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings under {@code seedtrace.security}.
 *
 * @param embeddedIssuer the built-in OAuth2 authorization server for the default set-up
 * @param consoleUsers human users of the web console, by user name
 * @param audience the value a token's {@code aud} claim must contain; the embedded issuer writes it
 *     into its tokens, an external issuer must be configured to (a Keycloak audience mapper)
 * @param rolesClaim the one claim roles are read from, a dot-separated path into the token's JSON
 *     ({@code roles}; {@code resource_access.seedtrace.roles} for Keycloak client roles;
 *     {@code scope} for issuers that put roles in scopes)
 * @param trustedProxies addresses and CIDR ranges of the reverse proxies in front of the server:
 *     only their {@code X-Forwarded-For}, {@code Forwarded}, {@code X-Forwarded-Proto} and
 *     {@code X-Forwarded-Host} headers are believed; empty (the default) believes nobody's
 * @param allowDevDefaultsOffLoopback listen on a non-loopback address with the development
 *     defaults (dev secrets, embedded issuer, console admin/admin) all the same; for a throw-away
 *     container whose ports are published on the host's loopback only, never for a real network
 * @param smart SMART on FHIR discovery and Backend Services settings
 */
@ConfigurationProperties("seedtrace.security")
public record SecurityProperties(
    @DefaultValue EmbeddedIssuer embeddedIssuer,
    Map<String, ConsoleUser> consoleUsers,
    @DefaultValue("seedtrace") String audience,
    @DefaultValue("roles") String rolesClaim,
    List<String> trustedProxies,
    @DefaultValue("false") boolean allowDevDefaultsOffLoopback,
    @DefaultValue Smart smart) {

  public SecurityProperties {
    consoleUsers = consoleUsers == null ? Map.of() : Map.copyOf(consoleUsers);
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("seedtrace.security.audience must not be empty");
    }
    if (rolesClaim == null || rolesClaim.isBlank()) {
      throw new IllegalArgumentException("seedtrace.security.roles-claim must not be empty");
    }
  }

  /**
   * @param enabled whether this server issues its own tokens at {@code /oauth2/token}
   * @param issuer the {@code iss} written into tokens
   * @param tokenTtl lifetime of an access token
   * @param clients client id to its secret and roles
   */
  public record EmbeddedIssuer(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("http://localhost:8080") String issuer,
      @DefaultValue("1h") Duration tokenTtl,
      Map<String, Client> clients) {

    public EmbeddedIssuer {
      clients = clients == null ? Map.of() : Map.copyOf(clients);
    }
  }

  /**
   * A client of the embedded issuer (client-credentials grant). It authenticates with its secret
   * ({@code client_secret_basic}/{@code _post}), or, as a SMART Backend Services client, with a JWT
   * assertion ({@code private_key_jwt}, RS384 or ES384) signed with a key of its JWK Set, published
   * at {@code jwksUri} or given inline in {@code jwks} (JSON). At least one of the three is set.
   *
   * @param secret the client secret, plain or in Spring's {@code {id}encoded} form
   * @param roles the roles its tokens carry
   * @param jwksUri where the client publishes its public keys (JWK Set URL)
   * @param jwks the client's public keys as a JWK Set JSON document
   */
  public record Client(String secret, List<String> roles, String jwksUri, String jwks) {
    public Client {
      roles = roles == null ? List.of() : List.copyOf(roles);
      secret = secret == null || secret.isBlank() ? null : secret;
      jwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri;
      jwks = jwks == null || jwks.isBlank() ? null : jwks;
    }

    /** Whether the client authenticates with a signed JWT assertion. */
    public boolean usesKeys() {
      return jwksUri != null || jwks != null;
    }
  }

  /**
   * SMART on FHIR settings.
   *
   * @param tokenEndpoint the token endpoint advertised in {@code /.well-known/smart-configuration}
   *     and the CapabilityStatement, and accepted as a client assertion's {@code aud}; empty means
   *     this server's own {@code /oauth2/token} at its public address (set it to the external
   *     issuer's token endpoint with {@code prod})
   * @param assertionMaxLifetime how far in the future a client assertion's {@code exp} may be
   *     (SMART: at most five minutes)
   */
  public record Smart(
      @DefaultValue("") String tokenEndpoint,
      @DefaultValue("5m") Duration assertionMaxLifetime) {
  }

  /** A console user: password in Spring's {@code {id}encoded} form and roles. */
  public record ConsoleUser(String password, List<String> roles) {
    public ConsoleUser {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }
}
