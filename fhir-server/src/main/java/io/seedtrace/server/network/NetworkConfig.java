package io.seedtrace.server.network;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.routes.outbox.OutboxDeliveryRoute;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyConfig;
import io.seedtrace.server.custody.CustodyKeys;
import io.seedtrace.server.custody.CustodyProperties;
import io.seedtrace.server.custody.CustodyTables;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.custody.ManufacturerKeys;
import io.seedtrace.server.custody.OrderDispatch;
import io.seedtrace.server.security.KeyVault;
import io.seedtrace.server.security.SigningKeyStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the node's role, key, inbox, outbox, delivery route, count reports and returns, and on an
 * authority node its ledger and deadline check (docs/network.md).
 */
@Configuration
@EnableConfigurationProperties({NodeProperties.class, AuthorityProperties.class})
public class NetworkConfig {

  /** Vault name of the node's message-signing key when keys are shared by a cluster. */
  static final String VAULT_NAME = "node-signing-key";

  @Bean
  public NodeKey nodeKey(@Value("${seedtrace.data-dir}") Path dataDir, ObjectProvider<KeyVault> vault) {
    Path file = dataDir.resolve("security").resolve("node-signing-key.json");
    KeyVault shared = vault.getIfAvailable();
    return new NodeKey(shared == null ? SigningKeyStore.loadOrCreate(file) : SigningKeyStore.shared(shared, file,
        VAULT_NAME));
  }

  @Bean
  public NetworkOutbox networkOutbox(DataSource dataSource, NodeProperties node, AdminChannel admin) {
    return new NetworkOutbox(dataSource, new PeerClient(node.delivery().timeout()), node, admin, Clock.systemUTC());
  }

  @Bean
  public OutboxDeliveryRoute<NetworkOutbox.Claim> networkDeliveryRoute(NetworkOutbox outbox, NodeProperties node) {
    return new OutboxDeliveryRoute<>(NetworkOutbox.ROUTE_ID, "Send signed custody messages to the other"
        + " organisations' nodes", outbox, node.delivery().pollPeriod().toMillis());
  }

  /** The authority's source ledger: authority nodes only. */
  @Bean
  @ConditionalOnProperty(name = "seedtrace.node.role", havingValue = "authority")
  public SourceLedger sourceLedger(DataSource dataSource, AdminChannel admin, CustodySender sender, NodeProperties node,
      AuthorityProperties authority) {
    return new SourceLedger(dataSource, new AuthorityNotices(admin, sender, node), Clock.systemUTC(), authority);
  }

  /**
   * The ledger's rows for the Bulk Data worker ({@code GET /authority/$export}): authority nodes only;
   * takes the ledger so that its tables exist first.
   */
  @Bean
  @ConditionalOnProperty(name = "seedtrace.node.role", havingValue = "authority")
  public LedgerExport ledgerExport(DataSource dataSource, SourceLedger ledger, ObjectMapper json) {
    return new LedgerExport(dataSource, json);
  }

  /** Checks the receipt deadline of every open shipment every {@code seedtrace.authority.check-period}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "seedtrace.node.role", havingValue = "authority")
  public DeadlineCheck deadlineCheck(SourceLedger ledger, AuthorityProperties authority) {
    return new DeadlineCheck(ledger, authority.checkPeriod());
  }

  @Bean
  public NetworkInbox networkInbox(DataSource dataSource, NodeProperties node, FhirStore store, AuditTrail audit,
      AdminChannel admin, ObjectProvider<SourceLedger> ledger) {
    SourceLedger authority = ledger.getIfAvailable();
    return new NetworkInbox(dataSource, node, new PeerKeys(node.delivery().timeout(), Clock.systemUTC()),
        new MessageApplication(store, authority, admin), audit, admin, authority, Clock.systemUTC());
  }

  /**
   * Hospital nodes: every seed count stored goes to the authority's node as a count summary, on
   * the storage's own interceptor service so that counts written by the server itself (chip read,
   * verification, sealing) are reported as well as those written by clients.
   */
  @Bean(destroyMethod = "close")
  public CountReports countReports(FhirStore store, CustodySender sender, CustodyKeys keys, NodeProperties node,
      IInterceptorService storage) {
    CountReports reports = new CountReports(store, sender, new PatientPseudonyms(keys.master()),
        node.organization().id(), Clock.systemUTC());
    if (node.role() == NodeRole.HOSPITAL) {
      storage.registerInterceptor(reports);
    }
    return reports;
  }

  @Bean
  public CartridgeReturns cartridgeReturns(CustodySender sender, NetworkInbox inbox, CountReports counts,
      CustodyTables tables, CustodyKeys keys, CustodyProperties custody, ManufacturerKeys manufacturers) {
    return new CartridgeReturns(sender, inbox, counts, tables, new CartridgeReturns.HospitalChipKey(
        custody.hospitalKeyId(), keys.hospitalPublicKey()), manufacturers, Clock.systemUTC());
  }

  @Bean
  public CustodySender custodySender(NodeProperties node, NodeKey key, NetworkOutbox outbox, FhirStore store,
      AuditTrail audit) {
    return new CustodySender(node, key, outbox, store, audit);
  }

  /** Accepted orders: to the manufacturer's node when one is a peer, else to the Camel order route. */
  @Bean
  public OrderDispatch orderDispatch(CustodySender sender, ProducerTemplate camel) {
    return sender.orderDispatch(CustodyConfig.routeToManufacturer(camel));
  }
}
