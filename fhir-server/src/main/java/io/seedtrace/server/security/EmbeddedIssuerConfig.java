package io.seedtrace.server.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.seedtrace.server.security.smart.ClientAssertionDecoders;
import io.seedtrace.server.security.smart.UsedAssertionIds;
import io.seedtrace.server.security.smart.SmartClientAssertionConverter;
import io.seedtrace.server.security.smart.SmartEndpoints;
import io.seedtrace.server.security.smart.SmartScopeValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import io.seedtrace.server.console.ConsoleAddress;
import io.seedtrace.server.console.ConsoleProperties;
import org.springframework.security.config.Customizer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The embedded OAuth2 authorization server of the default set-up: it issues signed JWTs by the
 * client-credentials grant at {@code /oauth2/token} to the clients listed under
 * {@code seedtrace.security.embedded-issuer.clients}, and the resource server trusts exactly
 * these tokens. Clients are registered for that grant only, with no redirect URI, and
 * {@code /oauth2/authorize} never redirects to an address a request names
 * ({@link RegisteredRedirectsOnly}). The one exception is the people's web console
 * ({@link ConsoleClient}): OpenID Connect authorization code with PKCE, for the people who sign in
 * with the form at {@code /login} (the console users); their tokens carry the person's roles. Off with the {@code prod} profile, where an external issuer is used.
 */
@Configuration
@ConditionalOnProperty(prefix = "seedtrace.security.embedded-issuer", name = "enabled", havingValue = "true")
public class EmbeddedIssuerConfig {

  @Bean
  @Order(1)
  public SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
      ClientAssertionDecoders assertionDecoders) throws Exception {
    OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
    http.securityMatcher(server.getEndpointsMatcher())
        .with(server, as -> as
            // OpenID Connect (ID tokens, discovery, user info) for the people's web console
            .oidc(Customizer.withDefaults())
            .authorizationEndpoint(endpoint ->
                endpoint.authorizationRequestConverter(new RegisteredRedirectsOnly(clients)))
            // SMART Backend Services: a client assertion without client_id, checked against the
            // client's JWK Set (RS384/ES384, aud, exp <= 5 min, jti once)
            .clientAuthentication(client -> client
                .authenticationConverters(converters -> converters.add(0, new SmartClientAssertionConverter()))
                .authenticationProviders(providers -> providers.forEach(provider -> {
                  if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                    assertions.setJwtDecoderFactory(assertionDecoders);
                  }
                })))
            // role names of the client, and SMART system scopes (which only narrow the roles)
            .tokenEndpoint(token -> token.authenticationProviders(providers -> providers.forEach(provider -> {
              if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider credentials) {
                credentials.setAuthenticationValidator(new SmartScopeValidator());
              }
            }))))
        .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
        // a person who is not signed in at /oauth2/authorize (the console's OpenID Connect sign-in)
        // is sent to the sign-in form, and comes back here after it
        .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
            PathPatternRequestMatcher.withDefaults().matcher("/oauth2/authorize")))
        // the OpenID Connect user info endpoint takes the access tokens this issuer made
        .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()))
        .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
    return http.build();
  }

  @Bean
  public RegisteredClientRepository registeredClientRepository(SecurityProperties properties,
      ConsoleProperties console, ConsoleAddress address) {
    return new ConsoleClient(configuredClients(properties), console.clientId(), address,
        properties.embeddedIssuer().tokenTtl());
  }

  private static RegisteredClientRepository configuredClients(SecurityProperties properties) {
    SecurityProperties.EmbeddedIssuer issuer = properties.embeddedIssuer();
    List<RegisteredClient> clients = new ArrayList<>();
    for (Map.Entry<String, SecurityProperties.Client> entry : issuer.clients().entrySet()) {
      SecurityProperties.Client client = entry.getValue();
      if (client.secret() == null && !client.usesKeys()) {
        throw new IllegalStateException("seedtrace.security.embedded-issuer.clients." + entry.getKey()
            + ": neither a secret nor keys (jwks-uri or jwks)");
      }
      if (client.jwks() != null) {
        ClientAssertionDecoders.keys(entry.getKey(), client); // refuses to start with a broken inline JWK Set
      }
      for (String role : client.roles()) {
        if (Role.fromClaimValue(role).isEmpty()) {
          throw new IllegalStateException("seedtrace.security.embedded-issuer.clients." + entry.getKey()
              + ": unknown role '" + role + "'");
        }
      }
      RegisteredClient.Builder registered = RegisteredClient.withId(UUID.nameUUIDFromBytes(entry.getKey().getBytes()).toString())
          .clientId(entry.getKey())
          .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
          .scopes(scopes -> scopes.addAll(client.roles()))
          .clientSettings(ClientSettings.builder()
              .setting(SmartScopeValidator.ROLES_SETTING, List.copyOf(client.roles())).build())
          .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(issuer.tokenTtl()).build());
      if (client.secret() != null) {
        String secret = client.secret().startsWith("{") ? client.secret() : "{noop}" + client.secret();
        registered.clientSecret(secret)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
      }
      if (client.usesKeys()) {
        registered.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
      }
      clients.add(registered.build());
    }
    if (clients.isEmpty()) {
      throw new IllegalStateException("The embedded issuer is enabled but no client is configured "
          + "under seedtrace.security.embedded-issuer.clients");
    }
    return new InMemoryRegisteredClientRepository(clients);
  }

  /**
   * A token always carries the client's roles in the roles claim (even when the request named no
   * scope) and the configured audience, which the resource server requires. The SMART scopes
   * granted are in the {@code scope} claim.
   */
  @Bean
  public OAuth2TokenCustomizer<JwtEncodingContext> rolesInToken(SecurityProperties properties) {
    return context -> {
      if (!AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
        context.getClaims()
            .claim(properties.rolesClaim(), SmartScopeValidator.rolesOf(context.getRegisteredClient()))
            .audience(List.of(properties.audience()));
        return;
      }
      // a person signed in to the console: the roles are the person's, not the client's; the ID
      // token keeps its audience (the console's client id), the access token gets ours
      List<String> roles = context.getPrincipal().getAuthorities().stream()
          .map(a -> Role.fromAuthority(a.getAuthority())).flatMap(java.util.Optional::stream)
          .map(Role::claimValue).toList();
      context.getClaims().claim(properties.rolesClaim(), roles);
      if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
        context.getClaims().audience(List.of(properties.audience()));
      }
    };
  }

  /** This node's key (in the data directory), or the cluster's when keys are shared ({@link KeyVault}). */
  @Bean
  public RSAKey signingKey(@Value("${seedtrace.data-dir}") Path dataDir, ObjectProvider<KeyVault> vault) {
    Path file = dataDir.resolve("security").resolve("jwt-signing-key.json");
    KeyVault shared = vault.getIfAvailable();
    return shared == null ? SigningKeyStore.loadOrCreate(file) : SigningKeyStore.shared(shared, file);
  }

  @Bean
  public ClientAssertionDecoders clientAssertionDecoders(SecurityProperties properties, SmartEndpoints endpoints,
      DataSource dataSource) {
    return new ClientAssertionDecoders(properties, endpoints, new UsedAssertionIds(dataSource), Clock.systemUTC());
  }

  @Bean
  public JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
    return new ImmutableJWKSet<>(new JWKSet(signingKey));
  }

  @Bean
  public JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, SecurityProperties properties) {
    NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    decoder.setJwtValidator(TokenValidation.validator(properties.embeddedIssuer().issuer(), properties.audience()));
    return decoder;
  }

  @Bean
  public AuthorizationServerSettings authorizationServerSettings(SecurityProperties properties) {
    return AuthorizationServerSettings.builder().issuer(properties.embeddedIssuer().issuer()).build();
  }
}
