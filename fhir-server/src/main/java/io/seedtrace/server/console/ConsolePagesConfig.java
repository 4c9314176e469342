package io.seedtrace.server.console;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.seedtrace.server.console.alarms.AlarmInbox;
import io.seedtrace.server.console.cartridge.CartridgeList;
import io.seedtrace.server.console.implants.ImplantList;
import io.seedtrace.server.console.report.CtProjections;
import io.seedtrace.server.console.report.ReportPdf;
import io.seedtrace.server.console.report.ReportViews;
import io.seedtrace.server.console.report.SignOff;
import io.seedtrace.server.custody.AdminChannel;
import io.seedtrace.server.custody.AuditTrail;
import io.seedtrace.server.custody.FhirStore;
import io.seedtrace.server.verification.ReportPrinter;
import io.seedtrace.server.verification.VerificationTables;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the people's console pages read and write through: the server's own FHIR store and audit trail. */
@Configuration
public class ConsolePagesConfig {

  @Bean
  public ConsoleSearch consoleSearch(DaoRegistry daos) {
    return new ConsoleSearch(daos);
  }

  @Bean
  public ImplantList consoleImplants(FhirStore store, ConsoleSearch search) {
    return new ImplantList(store, search);
  }

  @Bean
  public CartridgeList consoleCartridges(ConsoleSearch search) {
    return new CartridgeList(search);
  }

  @Bean
  public ReportViews consoleReports(FhirStore store, VerificationTables tables) {
    return new ReportViews(store, tables);
  }

  @Bean
  public CtProjections consoleProjections(ConsoleProperties properties) {
    return new CtProjections(properties.projectionMaxSeriesBytes(), Duration.ofSeconds(20));
  }

  /** The verification report printed as PDF for the EHR, drawn as the report page draws it. */
  @Bean
  public ReportPrinter reportPrinter() {
    return new ReportPdf();
  }

  @Bean
  public SignOff consoleSignOff(FhirStore store, AuditTrail audit) {
    return new SignOff(store, audit);
  }

  @Bean
  public AlarmInbox consoleAlarms(FhirStore store, ConsoleSearch search, AuditTrail audit, AdminChannel admin) {
    return new AlarmInbox(store, search, audit, admin);
  }
}
