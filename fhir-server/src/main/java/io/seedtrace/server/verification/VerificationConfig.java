package io.seedtrace.server.verification;

import io.seedtrace.detection.plan.PositionSettings;
import io.seedtrace.dicom.net.TlsSettings;
import io.seedtrace.routes.outbox.OutboxDeliveryRoute;
import io.seedtrace.routes.verification.BrokerSettings;
import io.seedtrace.routes.verification.JdbcStudyQueue;
import io.seedtrace.routes.verification.PipelineSettings;
import io.seedtrace.routes.verification.StudyQueue;
import io.seedtrace.routes.verification.VerificationPipeline;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.database.SchemaStatements;
import io.seedtrace.server.dicom.DicomProperties;
import io.seedtrace.server.ehr.EhrClient;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.ehr.EhrProperties;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the verification flow, the EHR outbox and their routes. */
@Configuration
@EnableConfigurationProperties({VerificationProperties.class, EhrProperties.class, BrokerProperties.class,
    DosimetryProperties.class})
public class VerificationConfig {

  /** The broker connection's name in the registry (Spring's, which Camel's is). */
  static final String BROKER_CONNECTION = "seedtraceBrokerConnection";

  @Bean
  public VerificationTables verificationTables(DataSource dataSource) {
    return new VerificationTables(dataSource);
  }

  @Bean
  public EhrOutbox ehrOutbox(DataSource dataSource, EhrProperties properties) {
    return new EhrOutbox(dataSource, new EhrClient(properties, Clock.systemUTC()), properties, Clock.systemUTC());
  }

  /** The study queue in the application database (shared by every node on the same database). */
  @Bean
  public JdbcStudyQueue studyQueue(DataSource dataSource, VerificationProperties p,
      @Value("${seedtrace.data-dir}") Path dataDir) {
    SchemaStatements.run(new JdbcTemplate(dataSource), JdbcStudyQueue.SCHEMA.toArray(String[]::new));
    return new JdbcStudyQueue(dataSource, nodeName(p, dataDir), p.sharedSpool(), p.lease(), p.maxAttempts(),
        p.retryBackoff(), Clock.systemUTC());
  }

  /** The configured node name, else host name and data directory: stable across restarts, unique per node. */
  public static String nodeName(VerificationProperties p, Path dataDir) {
    if (!p.nodeName().isBlank()) {
      return p.nodeName();
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException unknown) {
      host = "localhost";
    }
    String name = host + ":" + dataDir.toAbsolutePath().normalize();
    return name.length() <= 300 ? name : name.substring(name.length() - 300);
  }

  /**
   * The connection to the broker (only with {@code seedtrace.broker.url}), with publisher confirms:
   * a study is acknowledged to the PACS only once the broker has it.
   */
  @Bean(BROKER_CONNECTION)
  @ConditionalOnExpression("!'${seedtrace.broker.url:}'.isBlank()")
  public CachingConnectionFactory brokerConnection(BrokerProperties broker) {
    CachingConnectionFactory connections = new CachingConnectionFactory(URI.create(broker.url()));
    connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    return connections;
  }

  /** The verification pipeline's routes; its FHIR side is the server's. */
  @Bean
  public VerificationPipeline verificationPipeline(FhirStore store, VerificationTables tables, EhrOutbox outbox,
      AdminChannel admin, AuditTrail audit, VerificationProperties p, DicomProperties dicom, StudyQueue queue,
      BrokerProperties broker, @Value("${seedtrace.data-dir}") Path dataDir, ReportPrinter printer,
      DosimetryProperties dosimetry) {
    PipelineSettings settings = new PipelineSettings(p.enabled(), p.effectiveConcurrency(), p.pollPeriod(),
        p.stepRedeliveries(), p.stepRedeliveryDelay(), p.detectionBudget(), new PositionSettings(p.toleranceMm(),
            p.scoreThreshold(), p.maxPairDistanceMm(), PositionSettings.defaults().trimFraction()));
    Optional<BrokerSettings> brokerQueue = broker.configured() ? Optional.of(new BrokerSettings(BROKER_CONNECTION,
        BrokerSettings.queueFor(nodeName(p, dataDir), p.sharedSpool()), p.maxAttempts())) : Optional.empty();
    return new VerificationPipeline(settings, dosimetry.toSettings(), queue, brokerQueue, tables,
        new FhirImplantRecords(store, tables, new StudyMatcher(store, p.matchWindow()), new PlanSource(store, tables)),
        new FhirVerificationArchive(store, tables, outbox, admin, audit, p.toleranceMm(), printer),
        new EhrResultRecipients(outbox, tables, admin, audit, p.sendToPacs(), pacsSender(p, dicom)));
  }

  /**
   * The signed report to the PACS as an Encapsulated PDF, when results go to the PACS
   * ({@code send-to-pacs}) and the DICOM node runs (its spool gives the study's attributes).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnExpression("${seedtrace.verification.send-to-pacs:false} and ${seedtrace.dicom.enabled:true}")
  public SignedReportToPacs signedReportToPacs(FhirStore store, io.seedtrace.server.dicom.DicomNodeService dicomNode,
      VerificationProperties p, DicomProperties dicom) {
    return new SignedReportToPacs(store, dicomNode, pacsSender(p, dicom));
  }

  private static PacsResultSender pacsSender(VerificationProperties p, DicomProperties dicom) {
    Optional<TlsSettings> tls = p.pacsTls() ? Optional.of(dicom.tls().clientSettings(
        "seedtrace.verification.pacs-tls")) : Optional.empty();
    return new PacsResultSender(dicom.aeTitle(), p.pacsAeTitle(), p.pacsHost(), p.pacsPort(), tls);
  }

  @Bean
  public OutboxDeliveryRoute<EhrOutbox.Claim> ehrDeliveryRoute(EhrOutbox outbox, EhrProperties properties) {
    return new OutboxDeliveryRoute<>(EhrOutbox.ROUTE_ID, "Deliver verification results to the hospital EHR", outbox,
        properties.pollPeriod().toMillis());
  }

  /**
   * Health component {@code ehrOutbox} (admin view of /actuator/health and the console): the number
   * of pending messages and of dead letters waiting for the administrator. It stays UP (a dead letter
   * is no reason to restart the server); the same counts are the gauges
   * {@code seedtrace.ehr.outbox{status=pending|dead}}.
   */
  @Bean
  public org.springframework.boot.actuate.health.HealthIndicator ehrOutboxHealthIndicator(EhrOutbox outbox,
      EhrProperties properties, io.micrometer.core.instrument.MeterRegistry meters) {
    io.micrometer.core.instrument.Gauge.builder("seedtrace.ehr.outbox", outbox, o -> o.count("PENDING"))
        .tag("status", "pending").description("messages waiting for the EHR").register(meters);
    io.micrometer.core.instrument.Gauge.builder("seedtrace.ehr.outbox", outbox, o -> o.count("DEAD"))
        .tag("status", "dead").description("dead letters waiting for the administrator").register(meters);
    return () -> {
      if (!properties.configured()) {
        return org.springframework.boot.actuate.health.Health.up().withDetail("ehr", "not configured").build();
      }
      int dead = outbox.count("DEAD");
      return org.springframework.boot.actuate.health.Health.up()
          .withDetail("ehr", properties.baseUrl())
          .withDetail("pending", outbox.count("PENDING"))
          .withDetail("dead", dead)
          .withDetail("delivered", outbox.count("DELIVERED"))
          .build();
    };
  }

  @Bean
  public FhirServerCustomizer verificationOperations(VerificationTables tables, EhrOutbox outbox) {
    return server -> server.registerProvider(new VerificationOperations(tables, outbox));
  }
}
