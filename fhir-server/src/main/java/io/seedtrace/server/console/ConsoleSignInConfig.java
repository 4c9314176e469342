package io.seedtrace.server.console;

import com.nimbusds.jose.jwk.RSAKey;
import io.seedtrace.server.security.RoleClaims;
import io.seedtrace.server.security.SecurityProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * How people sign in to the console: OpenID Connect, authorization code with PKCE (S256), state
 * and nonce. With the embedded issuer (the default) the console is its client
 * {@code seedtrace-console}; the browser goes to this server's {@code /oauth2/authorize}, signs in
 * with the form at {@code /login} (the console users of {@code seedtrace.security.console-users}),
 * and the server redeems the code at its own token endpoint over loopback and checks the ID token
 * with its own signing key. With an external issuer ({@code prod}) the registration
 * {@code seedtrace} comes from Spring Boot's {@code spring.security.oauth2.client.registration.seedtrace.*}
 * and {@code ...provider.seedtrace.issuer-uri}. Either way the person's roles are read from the ID
 * token's roles claim ({@code seedtrace.security.roles-claim}) exactly as from a bearer token.
 */
@Configuration
public class ConsoleSignInConfig {

  /** The client registration id; its callback is {@code /login/oauth2/code/seedtrace}. */
  public static final String REGISTRATION_ID = "seedtrace";

  @Bean
  public ConsoleAddress consoleAddress(Environment environment, ConsoleProperties properties) {
    return new ConsoleAddress(environment, properties);
  }

  /** The roles claim of the ID token as our role authorities; nothing else grants anything. */
  @Bean
  public GrantedAuthoritiesMapper consoleRoles(SecurityProperties properties) {
    RoleClaims claims = new RoleClaims(properties.rolesClaim());
    return authorities -> {
      List<GrantedAuthority> roles = new ArrayList<>();
      for (GrantedAuthority authority : authorities) {
        if (authority instanceof OidcUserAuthority oidc) {
          roles.addAll(claims.authorities(oidc.getIdToken().getClaims()));
        }
      }
      return roles;
    };
  }

  /** The console as a client of the embedded issuer (built when asked: the port is known only then). */
  @Bean
  @ConditionalOnProperty(prefix = "seedtrace.security.embedded-issuer", name = "enabled", havingValue = "true")
  public ClientRegistrationRepository consoleRegistration(ConsoleProperties console, ConsoleAddress address,
      SecurityProperties security) {
    return registrationId -> !REGISTRATION_ID.equals(registrationId) ? null
        : ClientRegistration.withRegistrationId(REGISTRATION_ID)
            .clientId(console.clientId())
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri(address.redirectUri(REGISTRATION_ID))
            .scope("openid")
            .authorizationUri(address.publicBase() + "/oauth2/authorize")
            .tokenUri(address.loopbackBase() + "/oauth2/token")
            .jwkSetUri(address.loopbackBase() + "/oauth2/jwks")
            .issuerUri(security.embeddedIssuer().issuer())
            .userNameAttributeName(IdTokenClaimNames.SUB)
            .clientName("SeedTrace console")
            .build();
  }

  /** ID tokens of the embedded issuer are checked with its own key, without a call to itself. */
  @Bean
  @ConditionalOnProperty(prefix = "seedtrace.security.embedded-issuer", name = "enabled", havingValue = "true")
  public JwtDecoderFactory<ClientRegistration> consoleIdTokenDecoders(RSAKey signingKey) {
    return registration -> {
      NimbusJwtDecoder decoder;
      try {
        decoder = NimbusJwtDecoder.withPublicKey(signingKey.toRSAPublicKey()).build();
      } catch (com.nimbusds.jose.JOSEException broken) {
        throw new IllegalStateException("the embedded issuer's signing key has no usable public key", broken);
      }
      decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
          new OidcIdTokenValidator(registration)));
      return decoder;
    };
  }
}
