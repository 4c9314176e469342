package io.seedtrace.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PHI access audit settings ({@code seedtrace.audit.phi-access.*}).
 *
 * @param enabled record reads, searches, history and operations that return patient data (IHE
 *     BALP AuditEvents); on by default
 * @param journalInterval an access waits in memory at most this long before it is written to the
 *     journal table (what a crash of the node can lose)
 * @param journalBatchSize at most this many accesses are inserted into the journal in one JDBC batch
 * @param queueCapacity accesses held in memory on their way to the journal
 * @param queueWait when that queue is full, a request waits up to this long for room
 *     (back-pressure); an access that still finds none is dropped (counted, logged, reported to the
 *     administrator)
 * @param batchSize at most this many journal rows are converted into AuditEvents in one transaction
 *     (small: HAPI's session grows with every resource of a transaction)
 * @param quietPeriod while this node's reads keep coming, conversion waits until they pause this
 *     long (so it works between bursts of reads, not during them)
 * @param maxDelay conversion waits for a pause at most this long, then converts while the load lasts
 * @param pollInterval an idle converter looks for journal rows (of any node) this often
 * @param alarmInterval at most one administrator message about dropped accesses per this interval
 * @param nodeName this node in the events' {@code source.site} and server agent; default the host name
 */
@ConfigurationProperties("seedtrace.audit.phi-access")
public record PhiAccessProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("200ms") Duration journalInterval,
    @DefaultValue("500") int journalBatchSize,
    @DefaultValue("10000") int queueCapacity,
    @DefaultValue("5s") Duration queueWait,
    @DefaultValue("25") int batchSize,
    @DefaultValue("200ms") Duration quietPeriod,
    @DefaultValue("10s") Duration maxDelay,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("1m") Duration alarmInterval,
    @DefaultValue("") String nodeName) {

  public PhiAccessProperties {
    if (batchSize < 1 || journalBatchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "seedtrace.audit.phi-access: batch-size, journal-batch-size and queue-capacity must be at least 1");
    }
    if (!positive(journalInterval) || !positive(pollInterval) || queueWait.isNegative()) {
      throw new IllegalArgumentException("seedtrace.audit.phi-access: journal-interval and poll-interval must be"
          + " positive, queue-wait at least 0");
    }
    if (quietPeriod.isNegative() || maxDelay.compareTo(quietPeriod) < 0) {
      throw new IllegalArgumentException("seedtrace.audit.phi-access: quiet-period must be at least 0 and max-delay at "
          + "least quiet-period");
    }
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
