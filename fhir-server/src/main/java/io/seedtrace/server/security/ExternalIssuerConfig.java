package io.seedtrace.server.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The token decoder when an external issuer (e.g. Keycloak) issues the tokens: keys from its
 * {@code jwk-set-uri}, or from its discovery document at {@code issuer-uri}, fetched on the first
 * token so the server starts while the issuer is unreachable; every token is checked by
 * {@link TokenValidation} against {@code issuer-uri} and {@code seedtrace.security.audience}.
 */
@Configuration
@ConditionalOnProperty(prefix = "seedtrace.security.embedded-issuer", name = "enabled", havingValue = "false")
public class ExternalIssuerConfig {

  @Bean
  public JwtDecoder jwtDecoder(SecurityProperties properties,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuerUri,
      @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}") String jwkSetUri) {
    if (issuerUri.isBlank()) {
      throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.issuer-uri is not set: without it"
          + " no token's issuer can be checked");
    }
    return new SupplierJwtDecoder(() -> {
      NimbusJwtDecoder decoder = jwkSetUri.isBlank()
          ? (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuerUri)
          : NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
      decoder.setJwtValidator(TokenValidation.validator(issuerUri, properties.audience()));
      return decoder;
    });
  }
}
