package io.seedtrace.server.security.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits under {@code seedtrace.http}.
 *
 * @param maxRequestBody the largest request body accepted (FHIR resources, bundles, token requests);
 *     a larger one gets 413 with an OperationOutcome
 * @param signInThrottle how wrong secrets at {@code /oauth2/token} and wrong console passwords at
 *     {@code /login} are slowed down
 */
@ConfigurationProperties("seedtrace.http")
public record HttpProperties(@DefaultValue("10MB") DataSize maxRequestBody, @DefaultValue SignInThrottle signInThrottle) {

  /**
   * @param freeFailures wrong secrets one client id or user name may send from one address before
   *     it has to wait
   * @param firstBackoff the wait after the last free failure; it doubles with every further failure
   * @param maxBackoff the longest wait
   */
  public record SignInThrottle(@DefaultValue("5") int freeFailures, @DefaultValue("1s") Duration firstBackoff,
      @DefaultValue("5m") Duration maxBackoff) {

    public SignInThrottle {
      if (freeFailures < 1 || firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
        throw new IllegalArgumentException("seedtrace.http.sign-in-throttle: need free-failures >= 1 and"
            + " 0 < first-backoff <= max-backoff");
      }
    }
  }
}
