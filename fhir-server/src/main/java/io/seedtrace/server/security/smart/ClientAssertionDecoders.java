package io.seedtrace.server.security.smart;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.seedtrace.server.security.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Checks SMART Backend Services client assertions (RFC 7523, SMART App Launch 2.x "Client
 * Authentication: Asymmetric"): signed RS384 or ES384 with a key of the client's JWK Set (fetched
 * from its registered {@code jwks-uri}, cached, refetched for an unknown {@code kid}; or inline),
 * {@code iss} = {@code sub} = the client id, {@code aud} = the token endpoint, {@code exp} present
 * and at most {@code seedtrace.security.smart.assertion-max-lifetime} (5 min) ahead, a {@code jti}
 * never seen before from that client while the assertion could still be valid.
 *
 * <p>The {@code jti}s are remembered in the database ({@link UsedAssertionIds}): an assertion
 * accepted by one node is refused by every other node sharing the database.
 */
public final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
  private static final Duration SKEW = Duration.ofSeconds(60);

  private final Map<String, SecurityProperties.Client> clients;
  private final SmartEndpoints endpoints;
  private final Duration maxLifetime;
  private final Clock clock;
  private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
  private final UsedAssertionIds used;

  public ClientAssertionDecoders(SecurityProperties properties, SmartEndpoints endpoints, UsedAssertionIds used,
      Clock clock) {
    this.used = used;
    this.clients = properties.embeddedIssuer().clients();
    this.endpoints = endpoints;
    this.maxLifetime = properties.smart().assertionMaxLifetime();
    this.clock = clock;
  }

  @Override
  public JwtDecoder createDecoder(RegisteredClient client) {
    return decoders.computeIfAbsent(client.getClientId(), id -> {
      SecurityProperties.Client config = clients.get(id);
      if (config == null || !config.usesKeys()) {
        throw new IllegalStateException("client " + id + " has no keys registered");
      }
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(id, config)));
      processor.setJWTClaimsSetVerifier((claims, context) -> { });
      NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
      decoder.setJwtValidator(validator(id));
      return decoder;
    });
  }

  public static JWKSource<SecurityContext> keys(String clientId, SecurityProperties.Client config) {
    try {
      if (config.jwks() != null) {
        return new ImmutableJWKSet<>(JWKSet.parse(config.jwks()).toPublicJWKSet());
      }
      return JWKSourceBuilder.create(URI.create(config.jwksUri()).toURL())
          .cache(Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(5).toMillis())
          .rateLimited(Duration.ofSeconds(10).toMillis())
          .build();
    } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
      throw new IllegalStateException("seedtrace.security.embedded-issuer.clients." + clientId
          + ": jwks / jwks-uri is not usable: " + e.getMessage(), e);
    }
  }

  OAuth2TokenValidator<Jwt> validator(String clientId) {
    return jwt -> {
      Instant now = clock.instant();
      if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
        return failure("iss and sub must both be the client id");
      }
      List<String> audience = jwt.getAudience();
      Set<String> accepted = endpoints.assertionAudiences(currentRequest());
      if (audience == null || audience.stream().noneMatch(accepted::contains)) {
        return failure("aud must be the token endpoint " + accepted.iterator().next());
      }
      Instant expires = jwt.getExpiresAt();
      if (expires == null) {
        return failure("exp is required");
      }
      if (expires.isBefore(now.minus(SKEW))) {
        return failure("the assertion has expired");
      }
      if (expires.isAfter(now.plus(maxLifetime).plus(SKEW))) {
        return failure("exp may be at most " + maxLifetime.toMinutes() + " minutes in the future");
      }
      if (jwt.getNotBefore() != null && jwt.getNotBefore().isAfter(now.plus(SKEW))) {
        return failure("the assertion is not valid yet (nbf)");
      }
      String jti = jwt.getId();
      if (jti == null || jti.isBlank()) {
        return failure("jti is required");
      }
      if (!used.firstUse(clientId, jti, expires.plus(SKEW), now)) {
        return failure("this jti has been used before");
      }
      return OAuth2TokenValidatorResult.success();
    };
  }

  private static OAuth2TokenValidatorResult failure(String why) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
        "client assertion refused: " + why, null));
  }

  private static HttpServletRequest currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        ? attributes.getRequest() : null;
  }
}
