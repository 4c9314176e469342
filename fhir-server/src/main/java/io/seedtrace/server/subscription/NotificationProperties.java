package io.seedtrace.server.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How rest-hook Subscription notifications are delivered ({@code seedtrace.subscriptions.*}).
 *
 * @param matchingPeriod how often changes are matched against the active Subscriptions: HAPI
 *     stores each change with the change itself and matches the stored ones in a scheduled pass
 *     (every 5 s unless set here), so this bounds how soon after an alarm its notification leaves
 * @param maxAttempts attempts before a notification becomes a dead letter (the defaults keep trying
 *     for about a day)
 * @param initialBackoff wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param pollPeriod how often notifications waiting for a retry are looked at
 * @param timeout how long the subscriber's endpoint may take to answer one notification
 * @param lease how long a node holds a notification it is sending before another node sharing the
 *     database may take it over; at least twice the timeout
 */
@ConfigurationProperties("seedtrace.subscriptions")
public record NotificationProperties(
    @DefaultValue("250ms") Duration matchingPeriod,
    @DefaultValue("300") int maxAttempts,
    @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("5m") Duration maxBackoff,
    @DefaultValue("500ms") Duration pollPeriod,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("1m") Duration lease) {

  public NotificationProperties {
    if (matchingPeriod.toMillis() < 50) {
      throw new IllegalArgumentException("seedtrace.subscriptions.matching-period must be at least 50 ms, got "
          + matchingPeriod);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("seedtrace.subscriptions.max-attempts must be at least 1, got " + maxAttempts);
    }
    if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("seedtrace.subscriptions.lease (" + lease + ") must be at least twice"
          + " seedtrace.subscriptions.timeout (" + timeout + ")");
    }
  }

  /** The wait after {@code attempts} failed attempts: doubling from the initial backoff, capped. */
  Duration backoff(int attempts) {
    Duration wait = initialBackoff;
    for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
