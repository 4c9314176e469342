package io.seedtrace.server.dicom.pull;

import io.seedtrace.routes.cluster.ClusterLock;
import io.seedtrace.routes.pull.CtPullRoute;
import io.seedtrace.routes.pull.DimseCtRetrieval;
import io.seedtrace.routes.pull.JdbcPullLedger;
import io.seedtrace.routes.pull.PullRound;
import io.seedtrace.routes.pull.PullSettings;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.database.SchemaStatements;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.dicom.DicomProperties;
import io.seedtrace.server.verification.VerificationConfig;
import io.seedtrace.server.verification.VerificationProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the pull rule ({@code seedtrace.dicom.pull.enabled=true}): its ledger table, the FHIR side
 * that says which implants await their CT, and the route. Refuses to start when the PACS it pulls
 * from may not send to our node, since every move would then fail.
 */
@Configuration
@EnableConfigurationProperties(PullProperties.class)
@ConditionalOnProperty(prefix = "seedtrace.dicom.pull", name = "enabled", havingValue = "true")
public class PullConfig {

  @Bean
  public PullSettings pullSettings(PullProperties pull, DicomProperties dicom) {
    PullSettings settings = pull.settings(dicom);
    if (!dicom.enabled()) {
      throw new IllegalStateException("seedtrace.dicom.pull needs the DICOM node (seedtrace.dicom.enabled=true)");
    }
    if (settings.retrieve() == PullSettings.Retrieve.MOVE && !dicom.allowedCallingAeTitles().contains("*")
        && !dicom.allowedCallingAeTitles()
        .contains(settings.pacsAeTitle())) {
      throw new IllegalStateException("seedtrace.dicom.pull moves CT from " + settings.pacsAeTitle() + ", which is not"
          + " in seedtrace.dicom.allowed-calling-ae-titles: add it (and its address to allowed-addresses)");
    }
    return settings;
  }

  @Bean
  public JdbcPullLedger pullLedger(DataSource dataSource, PullSettings settings, VerificationProperties verification,
      @Value("${seedtrace.data-dir}") Path dataDir) {
    SchemaStatements.run(new JdbcTemplate(dataSource), JdbcPullLedger.SCHEMA.toArray(String[]::new));
    return new JdbcPullLedger(dataSource, VerificationConfig.nodeName(verification, dataDir), settings,
        Clock.systemUTC());
  }

  @Bean
  public CtPullRoute ctPullRoute(FhirStore store, JdbcPullLedger ledger, PullSettings settings, PullProperties pull,
      ClusterLock lock, DicomNodeService node) {
    PullRound round = new PullRound(new FhirImplantsAwaitingCt(store, pull.patientIdSystem()), ledger,
        new DimseCtRetrieval(settings, ZoneId.systemDefault(), node::store), settings, Clock.systemUTC());
    return new CtPullRoute(round, settings.pollPeriod().toMillis(), lock);
  }
}
