package io.seedtrace.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * FHIR Bulk Data export: its tables, this node's worker, and the operations on the FHIR endpoint; on
 * an authority node the worker also runs exports of its source ledger (an {@link ExportSource} bean).
 */
@Configuration
@EnableConfigurationProperties(BulkExportProperties.class)
public class BulkExportConfig {

  @Bean
  public ExportJobs exportJobs(DataSource dataSource) {
    return new ExportJobs(dataSource);
  }

  @Bean(destroyMethod = "close")
  public ExportWorker exportWorker(ExportJobs jobs, FhirContext context, DaoRegistry daos,
      BulkExportProperties properties, ObjectProvider<ExportSource> ledger) {
    Clock clock = Clock.systemUTC();
    return new ExportWorker(jobs, new ExportRunner(context, daos, jobs, properties, clock, ledger.getIfAvailable()),
        properties, clock);
  }

  @Bean
  public FhirServerCustomizer bulkExportOperations(ExportJobs jobs, ExportWorker worker, FhirContext context,
      DaoRegistry daos, BulkExportProperties properties) {
    return server -> {
      server.registerProvider(new BulkExportOperations(context, daos, jobs, worker, properties, Clock.systemUTC()));
      server.registerInterceptor(new BulkDataCapability());
    };
  }
}
