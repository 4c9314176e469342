package io.seedtrace.server.custody;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import io.seedtrace.core.sealing.SealingVault;
import io.seedtrace.core.trace.MaliciousNodeLibrary;
import io.seedtrace.routes.custody.AdminChannelRoute;
import io.seedtrace.routes.custody.ManufacturerOrderRoute;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AppendOnlyRecords;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import io.seedtrace.server.fhir.ProfileValidationInterceptor;
import io.seedtrace.server.security.KeyVault;
import io.seedtrace.server.store.FhirStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the chain-of-custody operations, their keys and tables, and the custody Camel routes. */
@Configuration
@EnableConfigurationProperties(CustodyProperties.class)
public class CustodyConfig {

  @Bean
  public CustodyTables custodyTables(DataSource dataSource) {
    return new CustodyTables(dataSource);
  }

  /** This node's keystore, or the cluster's keys when keys are shared ({@link KeyVault}). */
  @Bean
  public CustodyKeys custodyKeys(CustodyProperties properties, @Value("${seedtrace.data-dir}") Path dataDir,
      ObjectProvider<KeyVault> vault) {
    Path file = properties.keystore().isBlank() ? dataDir.resolve("security").resolve("sealing.p12")
        : Path.of(properties.keystore());
    char[] password = properties.keystorePassword().toCharArray();
    KeyVault shared = vault.getIfAvailable();
    return shared == null ? CustodyKeys.loadOrCreate(file, password) : CustodyKeys.shared(shared, file, password);
  }

  /** The library as every node sharing the database sees it (entries and failures in the database). */
  @Bean
  public MaliciousNodeLibrary maliciousNodeLibrary(CustodyProperties properties, DataSource dataSource) {
    return new MaliciousNodeLibrary(properties.traceFailuresBeforeListing(), properties.traceFailureWindow(),
        Clock.systemUTC(), new MaliciousNodeTable(dataSource));
  }

  @Bean
  public TraceGuard traceGuard(MaliciousNodeLibrary library, CustodyTables tables, AdminChannel admin,
      CustodyProperties properties) {
    return new TraceGuard(library, tables, admin, properties.traceFailuresBeforeListing(),
        properties.traceFailuresPerAddressBeforeListing());
  }

  @Bean
  public FhirStore custodyStore(DaoRegistry daos, IFhirSystemDao<Bundle, Meta> systemDao,
      ProfileValidationInterceptor validation) {
    return new FhirStore(daos, systemDao, validation);
  }

  @Bean
  public AuditTrail auditTrail(DaoRegistry daos, CustodyTables tables, PlatformTransactionManager transactions,
      jakarta.persistence.EntityManagerFactory entityManagers) {
    return new AuditTrail(daos, tables, transactions,
        org.springframework.orm.jpa.SharedEntityManagerCreator.createSharedEntityManager(entityManagers));
  }

  /**
   * Deletes and Provenances audited, AuditEvent and Provenance append-only: on the storage's own
   * interceptor service, so that the server's internal writes are held to it as well.
   */
  @Bean
  public StorageAudit storageAudit(IInterceptorService storage, AuditTrail audit) {
    StorageAudit hooks = new StorageAudit(audit);
    storage.registerInterceptor(hooks);
    storage.registerInterceptor(new AppendOnlyRecords());
    return hooks;
  }

  @Bean
  public AdminChannel adminChannel(FhirStore store, ProducerTemplate camel) {
    return new AdminChannel(store, camel);
  }

  @Bean
  public ManufacturerKeys manufacturerKeys(FhirStore store) {
    return new ManufacturerKeys(store);
  }

  @Bean
  public Sealing sealing(FhirStore store, CustodyTables tables, CustodyKeys keys, CustodyProperties properties,
      ManufacturerKeys manufacturers, TraceGuard guard, AuditTrail audit, AdminChannel admin) {
    return new Sealing(store, tables, new SealingVault(keys.master(), new SecureRandom()), keys,
        properties.hospitalKeyId(), manufacturers, guard, audit, admin);
  }

  @Bean
  public ChipReceipt chipReceipt(FhirStore store, CustodyTables tables, ManufacturerKeys manufacturers, Sealing sealing,
      AuditTrail audit, AdminChannel admin, CustodyProperties properties) {
    return new ChipReceipt(store, tables, manufacturers, sealing.hospitalKeys(), audit, admin,
        properties.activityTolerance());
  }

  @Bean
  public Assembly assembly(FhirStore store, AuditTrail audit, CustodyProperties properties) {
    return new Assembly(store, audit, properties.storageModel().settings());
  }

  @Bean
  public FhirServerCustomizer custodyCustomizer(ChipReceipt receipt, Assembly assembly, Sealing sealing, AuditTrail audit,
      MaliciousNodeLibrary library, CustodyTables tables, CustodyKeys keys, CustodyProperties properties,
      FhirStore store, ProducerTemplate camel, ObjectProvider<OrderDispatch> dispatch) {
    OrderDispatch orders = dispatch.getIfAvailable(() -> routeToManufacturer(camel));
    return server -> {
      server.registerProvider(new CustodyOperations(receipt, assembly, sealing, audit, library, tables, keys,
          properties.hospitalKeyId()));
      server.registerInterceptor(new CustodyInterceptor(new OrderCheck(store), store, audit, orders));
    };
  }

  /** An accepted order handed to the Camel route {@code seed-order-to-manufacturer} (FHIR JSON). */
  public static OrderDispatch routeToManufacturer(ProducerTemplate camel) {
    return order -> camel.sendBodyAndHeader(ManufacturerOrderRoute.ENDPOINT,
        ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(order),
        "orderIdentifier", order.getIdentifierFirstRep().getValue());
  }

  @Bean
  public ManufacturerOrderRoute manufacturerOrderRoute(CustodyProperties properties,
      @Value("${seedtrace.data-dir}") Path dataDir) {
    return new ManufacturerOrderRoute(properties.manufacturerEndpoints(),
        "file:" + dataDir.toAbsolutePath().resolve("dead-letters").resolve("orders"));
  }

  @Bean
  public AdminChannelRoute adminChannelRoute(CustodyProperties properties, @Value("${seedtrace.data-dir}") Path dataDir) {
    return new AdminChannelRoute(properties.adminEndpoints(),
        "file:" + dataDir.toAbsolutePath().resolve("dead-letters").resolve("admin"));
  }
}
