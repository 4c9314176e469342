package io.seedtrace.server.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * PHI access audit (issue 13, finding 8), on unless {@code seedtrace.audit.phi-access.enabled=false}:
 * {@link PhiAccessCapture} on the FHIR endpoint (and the DICOMweb services) notice accesses; an
 * {@link AuditBatchWriter} takes them off the request path into the {@link PhiAccessJournal} table
 * within {@code journal-interval}, slowing requests down (back-pressure) rather than dropping when
 * its queue is full; the {@link PhiAccessConverter} turns journal rows into BALP AuditEvents
 * ({@link BalpEvents}) in the audit chain at its own pace. Metrics: {@code seedtrace.audit.phi.journaled},
 * {@code .written} (converted), {@code .dropped}, {@code .waited}, {@code .refused} (counters),
 * {@code .queued} and {@code .journal} (gauges); drops and refusals also reach the administrator.
 */
@Configuration
@EnableConfigurationProperties(PhiAccessProperties.class)
@ConditionalOnProperty(name = "seedtrace.audit.phi-access.enabled", havingValue = "true", matchIfMissing = true)
public class PhiAccessAuditConfig {

  static final String DROPPED_TOPIC = "phi-audit-dropped";
  static final String REFUSED_TOPIC = "phi-audit-refused";

  @Bean
  public PhiAccessJournal phiAccessJournal(DataSource dataSource) {
    return new PhiAccessJournal(dataSource);
  }

  @Bean
  public AuditBatchWriter<PhiAccess> phiAccessWriter(PhiAccessProperties properties, PhiAccessJournal journal,
      AdminChannel admin, MeterRegistry meters) {
    String node = NodeName.or(properties.nodeName());
    AuditBatchWriter<PhiAccess> writer = new AuditBatchWriter<>(properties.queueCapacity(),
        properties.journalBatchSize(), properties.journalInterval(), properties.alarmInterval(), false,
        properties.queueWait(), accesses -> journal.append(node, accesses),
        dropped -> admin.tell(DROPPED_TOPIC, dropped + " PHI accesses were not recorded: the audit queue ("
            + properties.queueCapacity() + ") stayed full for " + properties.queueWait() + " or the database refused"
            + " them. See the metric seedtrace.audit.phi.dropped and the server log.", null));
    FunctionCounter.builder("seedtrace.audit.phi.journaled", writer, AuditBatchWriter::written)
        .description("PHI accesses written to the journal table").register(meters);
    FunctionCounter.builder("seedtrace.audit.phi.dropped", writer, AuditBatchWriter::dropped)
        .description("PHI accesses not recorded (queue full past queue-wait, shutting down, or refused by the database)")
        .register(meters);
    FunctionCounter.builder("seedtrace.audit.phi.waited", writer, AuditBatchWriter::waited)
        .description("requests that waited for room in the PHI audit queue").register(meters);
    Gauge.builder("seedtrace.audit.phi.queued", writer, AuditBatchWriter::queued)
        .description("PHI accesses in memory, not yet in the journal").register(meters);
    return writer;
  }

  @Bean
  public PhiAccessConverter phiAccessConverter(PhiAccessProperties properties, PhiAccessJournal journal,
      AuditTrail trail, AuditBatchWriter<PhiAccess> writer, AdminChannel admin, MeterRegistry meters) {
    PhiAccessConverter converter = new PhiAccessConverter(journal, trail, properties.batchSize(),
        properties.quietPeriod(), properties.maxDelay(), properties.pollInterval(), writer::lastOfferNanos,
        (row, error) -> admin.tell(REFUSED_TOPIC, "PHI access journal row " + row + " was refused by the audit"
            + " chain and is kept in table st_phi_access_journal: " + error, null));
    FunctionCounter.builder("seedtrace.audit.phi.written", converter, PhiAccessConverter::converted)
        .description("PHI accesses recorded as AuditEvents in the chain by this node").register(meters);
    FunctionCounter.builder("seedtrace.audit.phi.refused", converter, PhiAccessConverter::refused)
        .description("journal rows the audit chain refused (kept in the journal)").register(meters);
    Gauge.builder("seedtrace.audit.phi.journal", journal, PhiAccessJournal::waiting)
        .description("PHI accesses in the journal waiting to become AuditEvents (all nodes)").register(meters);
    return converter;
  }

  @Bean
  public FhirServerCustomizer phiAccessCaptureCustomizer(AuditBatchWriter<PhiAccess> writer) {
    return server -> server.registerInterceptor(new PhiAccessCapture(server.getFhirContext(), writer::offer));
  }
}
