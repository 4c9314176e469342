package io.seedtrace.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PHI access audit settings ({@code seedtrace.audit.phi-access.*}).
 *
 * @param enabled record reads, searches, history and operations that return patient data (IHE
 *     BALP AuditEvents); on by default
 * @param batchSize at most this many accesses are written in one transaction (small: HAPI's session
 *     grows with every resource of a transaction, so the cost per event rises with the batch)
 * @param batchInterval a batch is gathered for at most this long after its first access arrived
 * @param quietPeriod while accesses keep arriving, a gathered batch waits until they pause this long
 *     (so the writer works between bursts of reads, not during them)
 * @param maxDelay the most an access waits before it is written, however busy the node
 * @param queueCapacity accesses waiting to be written; when full, further ones are dropped (counted,
 *     logged, reported to the administrator), never blocking the request
 * @param alarmInterval at most one administrator message about dropped accesses per this interval
 * @param nodeName this node in the events' {@code source.site} and server agent; default the host name
 */
@ConfigurationProperties("seedtrace.audit.phi-access")
public record PhiAccessProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("25") int batchSize,
    @DefaultValue("1s") Duration batchInterval,
    @DefaultValue("200ms") Duration quietPeriod,
    @DefaultValue("10s") Duration maxDelay,
    @DefaultValue("10000") int queueCapacity,
    @DefaultValue("1m") Duration alarmInterval,
    @DefaultValue("") String nodeName) {

  public PhiAccessProperties {
    if (batchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("seedtrace.audit.phi-access: batch-size and queue-capacity must be at least 1");
    }
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException("seedtrace.audit.phi-access.batch-interval must be positive");
    }
    if (quietPeriod.isNegative() || maxDelay.compareTo(quietPeriod) < 0) {
      throw new IllegalArgumentException("seedtrace.audit.phi-access: quiet-period must be at least 0 and max-delay at "
          + "least quiet-period");
    }
  }
}
