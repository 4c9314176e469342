package io.seedtrace.server.dicomweb;

import io.seedtrace.dicom.web.StowReceiver;
import io.seedtrace.server.audit.AuditBatchWriter;
import io.seedtrace.server.audit.PhiAccess;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import io.seedtrace.server.dicom.DicomNodeService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * DICOMweb at {@code /dicomweb} (on with the DICOM node): a plain servlet rather than a Spring MVC
 * controller, so no multipart resolver ever buffers a STOW-RS body; it streams into the node's
 * spool. Who may call what is decided in {@code WebSecurityConfig}. QIDO-RS and WADO-RS answers
 * go to the PHI access audit's writer (when that audit is on), as FHIR reads do.
 */
@Configuration
@ConditionalOnProperty(prefix = "seedtrace.dicom", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DicomWebProperties.class)
public class DicomWebConfig {

  @Bean
  StudyIndex dicomStudyIndex(DataSource dataSource, DicomNodeService node) {
    StudyIndex index = new StudyIndex(dataSource);
    node.onStored(index::catchUp, index::stored);
    return index;
  }

  @Bean
  public ServletRegistrationBean<DicomWebServlet> dicomWebServlet(DicomNodeService node, DicomWebProperties properties,
      StudyIndex index, ObjectProvider<AuditBatchWriter<PhiAccess>> phiAudit) {
    AuditBatchWriter<PhiAccess> writer = phiAudit.getIfAvailable();
    Predicate<PhiAccess> audit = writer == null ? access -> true : writer::offer; // off: seedtrace.audit.phi-access.enabled
    StowReceiver.Limits limits = new StowReceiver.Limits(properties.maxPartSize().toBytes(),
        properties.maxInstancesPerRequest(), 8192);
    DicomWebServlet servlet = new DicomWebServlet(new StowService(node, limits), new QidoService(index,
        properties.maxResults(), audit), new WadoService(index, audit));
    ServletRegistrationBean<DicomWebServlet> registration = new ServletRegistrationBean<>(servlet, "/dicomweb/*");
    registration.setName("dicomweb");
    return registration;
  }
}
