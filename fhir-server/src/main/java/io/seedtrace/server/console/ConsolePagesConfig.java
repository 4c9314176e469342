package io.seedtrace.server.console;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.seedtrace.server.console.alarms.AlarmInbox;
import io.seedtrace.server.console.cartridge.CartridgeList;
import io.seedtrace.server.console.implants.ImplantList;
import io.seedtrace.server.console.implants.ImplantRows;
import io.seedtrace.server.console.implants.ImplantStates;
import io.seedtrace.server.console.report.CtProjections;
import io.seedtrace.server.console.report.ReportPdf;
import io.seedtrace.server.console.report.ReportViews;
import io.seedtrace.server.console.report.SignOff;
import io.seedtrace.server.console.report.SignedReportAtEhr;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.verification.ReportPrinter;
import io.seedtrace.server.verification.VerificationTables;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the people's console pages read and write through: the server's own FHIR store and audit trail. */
@Configuration
public class ConsolePagesConfig {

  @Bean
  public ConsoleSearch consoleSearch(DataSource dataSource, DaoRegistry daos) {
    return new ConsoleSearch(dataSource, daos);
  }

  @Bean
  public ImplantRows consoleImplantRows(FhirStore store) {
    return new ImplantRows(store);
  }

  /**
   * The implants' states kept in their own table: marked on the storage's own interceptor service
   * (so writes by the server itself count as well as those through the FHIR API), worked off by a
   * filtered page and every second in the background.
   */
  @Bean
  public ImplantStates consoleImplantStates(DataSource dataSource, FhirStore store, ImplantRows rows,
      IInterceptorService storage) {
    ImplantStates states = new ImplantStates(dataSource, store, rows);
    storage.registerInterceptor(states);
    return states;
  }

  /** Fills the table once for a store older than it, then works off the implants' state changes every second. */
  @Bean(destroyMethod = "shutdownNow")
  public ScheduledExecutorService consoleImplantStatesRefresher(ImplantStates states) {
    ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-implant-states");
      t.setDaemon(true);
      return t;
    });
    refresher.execute(() -> guarded(states::queueAllWhenEmpty));
    refresher.scheduleWithFixedDelay(() -> guarded(() -> states.refresh(ImplantStates.REFRESH_BATCH * 4)), 1, 1,
        TimeUnit.SECONDS);
    return refresher;
  }

  private static void guarded(Runnable job) {
    try {
      job.run();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(ImplantStates.class).warn("implant states not refreshed: {}", e.toString());
    }
  }

  @Bean
  public ImplantList consoleImplants(FhirStore store, ImplantRows rows, ImplantStates states) {
    return new ImplantList(store, rows, states);
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
  public SignOff consoleSignOff(FhirStore store, AuditTrail audit, EhrOutbox ehr,
      org.springframework.beans.factory.ObjectProvider<io.seedtrace.server.verification.SignedReportToPacs> toPacs) {
    io.seedtrace.server.verification.SignedReportToPacs pacs = toPacs.getIfAvailable();
    SignedReportAtEhr atEhr = new SignedReportAtEhr(ehr);
    return pacs == null ? new SignOff(store, audit, atEhr) : new SignOff(store, audit, atEhr, pacs);
  }

  @Bean
  public AlarmInbox consoleAlarms(FhirStore store, ConsoleSearch search, AuditTrail audit, AdminChannel admin) {
    return new AlarmInbox(store, search, audit, admin);
  }
}
