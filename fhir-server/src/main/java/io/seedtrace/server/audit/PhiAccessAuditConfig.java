package io.seedtrace.server.audit;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seedtrace.server.custody.AdminChannel;
import io.seedtrace.server.custody.AuditTrail;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * PHI access audit (issue 13, finding 8), on unless {@code seedtrace.audit.phi-access.enabled=false}:
 * {@link PhiAccessCapture} on the FHIR endpoint notices accesses, {@link AuditBatchWriter} writes
 * them as BALP AuditEvents ({@link BalpEvents}) into the audit chain in batches
 * ({@link AuditTrail#appendAll}), between bursts of reads ({@link AuditBatchWriter.Deferral}) and
 * without offering them to Subscriptions. Metrics: {@code seedtrace.audit.phi.written},
 * {@code seedtrace.audit.phi.dropped} (counters) and {@code seedtrace.audit.phi.queued} (gauge);
 * drops also reach the administrator as a {@code phi-audit-dropped} message.
 */
@Configuration
@EnableConfigurationProperties(PhiAccessProperties.class)
@ConditionalOnProperty(name = "seedtrace.audit.phi-access.enabled", havingValue = "true", matchIfMissing = true)
public class PhiAccessAuditConfig {

  static final String DROPPED_TOPIC = "phi-audit-dropped";

  @Bean
  public AuditBatchWriter<PhiAccess> phiAccessWriter(PhiAccessProperties properties, AuditTrail trail,
      AdminChannel admin, MeterRegistry meters) {
    BalpEvents events = new BalpEvents(NodeName.or(properties.nodeName()));
    AuditBatchWriter<PhiAccess> writer = new AuditBatchWriter<>(properties.queueCapacity(), properties.batchSize(),
        properties.batchInterval(), properties.alarmInterval(), true,
        AuditBatchWriter.Deferral.whileArriving(properties.quietPeriod(), properties.maxDelay()),
        accesses -> trail.appendAll(toEvents(events, accesses), AuditTrail.Subscriptions.NOT_NOTIFIED),
        dropped -> admin.tell(DROPPED_TOPIC, dropped + " PHI access audit events were dropped: the audit queue ("
            + properties.queueCapacity() + ") was full or the database refused them. See the metric "
            + "seedtrace.audit.phi.dropped and the server log.", null));
    FunctionCounter.builder("seedtrace.audit.phi.written", writer, AuditBatchWriter::written)
        .description("PHI accesses recorded as AuditEvents").register(meters);
    FunctionCounter.builder("seedtrace.audit.phi.dropped", writer, AuditBatchWriter::dropped)
        .description("PHI accesses not recorded (queue full, shutting down, or refused by the database)").register(meters);
    Gauge.builder("seedtrace.audit.phi.queued", writer, AuditBatchWriter::queued)
        .description("PHI accesses waiting to be recorded").register(meters);
    return writer;
  }

  @Bean
  public FhirServerCustomizer phiAccessCaptureCustomizer(AuditBatchWriter<PhiAccess> writer) {
    return server -> server.registerInterceptor(new PhiAccessCapture(server.getFhirContext(), writer::offer));
  }

  private static List<AuditEvent> toEvents(BalpEvents events, List<PhiAccess> accesses) {
    return accesses.stream().flatMap(a -> events.of(a).stream()).toList();
  }
}
