package io.seedtrace.server.dicom;

import io.seedtrace.routes.dicom.SeriesArrivals;
import io.seedtrace.routes.dicom.SeriesStableRoute;
import java.nio.file.Path;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DICOM node and its route into the hub (on unless {@code seedtrace.dicom.enabled=false}). */
@Configuration
@ConditionalOnProperty(prefix = "seedtrace.dicom", name = "enabled", havingValue = "true", matchIfMissing = true)
public class DicomConfig {

  @Bean
  public SeriesArrivals seriesArrivals() {
    return new SeriesArrivals(100);
  }

  @Bean
  public SeriesStableRoute seriesStableRoute(SeriesArrivals arrivals) {
    return new SeriesStableRoute(arrivals, io.seedtrace.routes.verification.VerificationPipeline.ENDPOINT);
  }

  /** Health component {@code dicom}: the node listens, and how many series still await their event. */
  @Bean
  public HealthIndicator dicomHealthIndicator(DicomNodeService node) {
    return () -> node.isRunning()
        ? Health.up().withDetail("aeTitle", node.config().aeTitle()).withDetail("port", node.port())
            .withDetail("seriesAwaitingEvent", node.pendingSeries()).build()
        : Health.down().withDetail("aeTitle", node.config().aeTitle()).build();
  }

  /**
   * The node; its Query/Retrieve SCP's C-FIND and C-MOVE answers go to the PHI access journal as
   * DICOMweb reads do (unless {@code seedtrace.audit.phi-access.enabled=false}).
   */
  @Bean
  public DicomNodeService dicomNode(DicomProperties properties, @Value("${seedtrace.data-dir}") Path dataDir,
      ProducerTemplate producer,
      org.springframework.beans.factory.ObjectProvider<io.seedtrace.server.audit.AuditBatchWriter<
          io.seedtrace.server.audit.PhiAccess>> phiAudit) {
    DicomNodeService node = new DicomNodeService(properties, dataDir, producer);
    var writer = phiAudit.getIfAvailable();
    if (writer != null) {
      node.reportQueryRetrieveTo(access -> writer.offer(io.seedtrace.server.audit.PhiAccess.dimse(access)));
    }
    return node;
  }
}
