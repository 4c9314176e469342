package io.seedtrace.server.audit;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.seedtrace.dicom.net.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Forwards every stored AuditEvent to a syslog collector over TLS ({@link SyslogClient}) when
 * {@code seedtrace.audit.syslog.host} is set; through its own queue and thread
 * ({@link AuditBatchWriter}), so a slow or absent collector delays neither requests nor the audit
 * chain. Metrics {@code seedtrace.audit.syslog.sent} and {@code seedtrace.audit.syslog.dropped}.
 */
@Configuration
@EnableConfigurationProperties(SyslogProperties.class)
@ConditionalOnExpression("!'${seedtrace.audit.syslog.host:}'.isBlank()")
public class SyslogConfig {

  private static final Logger LOG = LoggerFactory.getLogger(SyslogConfig.class);

  @Bean(destroyMethod = "close")
  public SyslogClient syslogClient(SyslogProperties properties,
      @Value("${seedtrace.audit.phi-access.node-name:}") String nodeName) {
    if (properties.keystore().isBlank()) {
      throw new IllegalStateException("seedtrace.audit.syslog.keystore is required: ATNA authenticates both ends");
    }
    TlsSettings tls = new TlsSettings(Path.of(properties.keystore()), properties.keystorePassword().toCharArray(),
        properties.truststore().isBlank() ? Optional.empty() : Optional.of(Path.of(properties.truststore())),
        properties.truststorePassword().toCharArray());
    return new SyslogClient(properties.host(), properties.port(), tls, NodeName.or(nodeName), properties.appName(),
        properties.timeout());
  }

  @Bean
  public AuditBatchWriter<AuditEvent> syslogWriter(SyslogProperties properties, SyslogClient client,
      IInterceptorService storage, MeterRegistry meters) {
    AuditBatchWriter<AuditEvent> writer = new AuditBatchWriter<>(properties.queueCapacity(), 100,
        Duration.ofMillis(200), Duration.ofMinutes(1), true, Duration.ZERO, client::send,
        dropped -> LOG.error("{} audit records not forwarded to syslog collector {}:{}", dropped, properties.host(),
            properties.port()));
    storage.registerInterceptor(new SyslogForwarding(writer::offer));
    FunctionCounter.builder("seedtrace.audit.syslog.sent", writer, AuditBatchWriter::written)
        .description("audit records forwarded to the syslog collector").register(meters);
    FunctionCounter.builder("seedtrace.audit.syslog.dropped", writer, AuditBatchWriter::dropped)
        .description("audit records not forwarded (queue full or collector unreachable)").register(meters);
    return writer;
  }
}
