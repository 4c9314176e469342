package io.seedtrace.server.security;

import java.time.Duration;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * What a bearer token must satisfy besides its signature, for the embedded and an external issuer
 * alike: an {@code exp} (a token without one would never expire) that has not passed and an
 * {@code nbf} that has (60 s clock skew), {@code iss} equal to the one configured issuer, and
 * {@code aud} containing {@code seedtrace.security.audience}, so a token the same issuer made for
 * another application is refused. Usage:
 * <pre>{@code decoder.setJwtValidator(TokenValidation.validator(issuer, properties.audience()));}</pre>
 */
public final class TokenValidation {

  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  private TokenValidation() {}

  /**
   * @throws IllegalArgumentException when issuer or audience is empty
   */
  public static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("no token issuer configured");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("no token audience configured (seedtrace.security.audience)");
    }
    return new DelegatingOAuth2TokenValidator<>(List.of(
        new JwtClaimValidator<Object>(JwtClaimNames.EXP, exp -> exp != null),
        new JwtTimestampValidator(CLOCK_SKEW),
        new JwtIssuerValidator(issuer),
        new JwtClaimValidator<Object>(JwtClaimNames.AUD,
            aud -> aud instanceof java.util.Collection<?> c ? c.contains(audience) : audience.equals(aud))));
  }
}
