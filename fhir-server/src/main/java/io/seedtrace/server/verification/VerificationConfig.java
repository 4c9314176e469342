package io.seedtrace.server.verification;

import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.rt.StructureSetWriter;
import io.seedtrace.routes.ehr.EhrDeliveryRoute;
import io.seedtrace.routes.verification.VerificationRoute;
import io.seedtrace.server.custody.AdminChannel;
import io.seedtrace.server.custody.AuditTrail;
import io.seedtrace.server.custody.FhirStore;
import io.seedtrace.server.ehr.EhrClient;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.ehr.EhrProperties;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the verification flow, the EHR outbox and their routes. */
@Configuration
@EnableConfigurationProperties({VerificationProperties.class, EhrProperties.class})
public class VerificationConfig {

  @Bean
  public VerificationTables verificationTables(DataSource dataSource) {
    return new VerificationTables(dataSource);
  }

  @Bean
  public EhrOutbox ehrOutbox(DataSource dataSource, EhrProperties properties) {
    return new EhrOutbox(dataSource, new EhrClient(properties, Clock.systemUTC()), properties, Clock.systemUTC());
  }

  @Bean
  public CtVerification ctVerification(FhirStore store, VerificationTables tables, EhrOutbox outbox,
      AdminChannel admin, AuditTrail audit, VerificationProperties properties) {
    return new CtVerification(store, tables, new StudyMatcher(store, properties.matchWindow()),
        new PlanSource(store, tables), outbox, admin, audit, properties, pacsSender(properties));
  }

  private static CtVerification.ResultSender pacsSender(VerificationProperties p) {
    return (volume, patientId, accession, seeds) -> {
      byte[] file = StructureSetWriter.write(new StructureSetWriter.Input(patientId, patientId, volume.studyUid(),
          volume.frameOfReferenceUid(), volume.seriesUid(), accession, seeds, "SeedTrace detected seeds"));
      try (StoreScu scu = StoreScu.open(p.pacsHost(), p.pacsPort(), "SEEDTRACE", p.pacsAeTitle(),
          List.of(new StoreScu.Proposal(StructureSetWriter.SOP_CLASS_UID, List.of("1.2.840.10008.1.2.1"))), 10_000)) {
        int status = scu.store(file);
        if (status != 0) {
          throw new IllegalStateException("PACS answered C-STORE status 0x" + Integer.toHexString(status));
        }
      }
    };
  }

  @Bean
  public VerificationRoute verificationRoute(CtVerification verification) {
    return new VerificationRoute(verification);
  }

  @Bean
  public EhrDeliveryRoute ehrDeliveryRoute(EhrOutbox outbox, EhrProperties properties) {
    return new EhrDeliveryRoute(outbox, properties.pollPeriod().toMillis());
  }

  @Bean
  public FhirServerCustomizer verificationOperations(VerificationTables tables, EhrOutbox outbox) {
    return server -> server.registerProvider(new VerificationOperations(tables, outbox));
  }
}
