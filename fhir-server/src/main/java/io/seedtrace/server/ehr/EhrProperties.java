package io.seedtrace.server.ehr;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hospital EHR that receives verification results ({@code seedtrace.ehr.*}).
 *
 * @param baseUrl the EHR's FHIR base URL; empty: results stay in SeedTrace only
 * @param auth {@code none}, {@code bearer} (a fixed token), {@code client-credentials} (OAuth2
 *     client-credentials grant at {@code tokenUrl}, client_secret_basic) or {@code smart-backend}
 *     (SMART Backend Services: client-credentials with a {@code private_key_jwt} assertion signed
 *     with the key in {@code privateKeyFile}, RS384 or ES384, {@code keyId} as its kid)
 * @param maxAttempts attempts before a message becomes a dead letter (the default, with the
 *     backoff below, keeps trying for about three hours)
 * @param initialBackoff wait after the first failure; doubled after each further failure
 * @param maxBackoff the longest wait between two attempts
 * @param pollPeriod how often the outbox is looked at
 * @param timeout how long one request to the EHR (or its token endpoint) may take; an EHR that
 *     does not answer in time may still store the bundle, so the next attempt waits at least twice
 *     the timeout, doubling with each attempt
 * @param lease how long a node holds a message it is delivering before another node may take it
 *     over (a node that died while delivering); at least three timeouts (the post, a post after a
 *     401 and the token request)
 */
@ConfigurationProperties("seedtrace.ehr")
public record EhrProperties(
    @DefaultValue("") String baseUrl,
    @DefaultValue("none") String auth,
    @DefaultValue("") String bearerToken,
    @DefaultValue("") String tokenUrl,
    @DefaultValue("") String clientId,
    @DefaultValue("") String clientSecret,
    @DefaultValue("") String scope,
    @DefaultValue("") String privateKeyFile,
    @DefaultValue("") String keyId,
    @DefaultValue("20") int maxAttempts,
    @DefaultValue("2s") Duration initialBackoff,
    @DefaultValue("15m") Duration maxBackoff,
    @DefaultValue("500ms") Duration pollPeriod,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("1m") Duration lease) {

  /** The values {@code seedtrace.ehr.auth} may take (see {@code auth} above). */
  public static final java.util.List<String> AUTH_MODES = java.util.List.of("none", "bearer", "client-credentials",
      "smart-backend");

  public EhrProperties {
    if (!AUTH_MODES.contains(auth)) {
      throw new IllegalArgumentException("seedtrace.ehr.auth must be one of " + AUTH_MODES + ", not '" + auth + "'");
    }
    if (lease.compareTo(timeout.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException("seedtrace.ehr.lease (" + lease + ") must be at least three times"
          + " seedtrace.ehr.timeout (" + timeout + ")");
    }
  }

  public boolean configured() {
    return !baseUrl.isBlank();
  }
}
