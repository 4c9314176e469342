package io.seedtrace.server.network;

import io.seedtrace.routes.network.NetworkDeliveryRoute;
import io.seedtrace.server.custody.AdminChannel;
import io.seedtrace.server.custody.AuditTrail;
import io.seedtrace.server.custody.CustodyConfig;
import io.seedtrace.server.custody.FhirStore;
import io.seedtrace.server.custody.OrderDispatch;
import io.seedtrace.server.security.KeyVault;
import io.seedtrace.server.security.SigningKeyStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the node's role, key, inbox, outbox and delivery route (docs/network.md). */
@Configuration
@EnableConfigurationProperties(NodeProperties.class)
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
  public NetworkDeliveryRoute networkDeliveryRoute(NetworkOutbox outbox, NodeProperties node) {
    return new NetworkDeliveryRoute(outbox, node.delivery().pollPeriod().toMillis());
  }

  @Bean
  public NetworkInbox networkInbox(DataSource dataSource, NodeProperties node, FhirStore store, AuditTrail audit,
      AdminChannel admin) {
    return new NetworkInbox(dataSource, node, new PeerKeys(node.delivery().timeout(), Clock.systemUTC()),
        new MessageApplication(store), audit, admin, Clock.systemUTC());
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
