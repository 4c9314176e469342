package io.seedtrace.server.camel;

import io.seedtrace.routes.cluster.ClusterLock;
import io.seedtrace.routes.health.Heartbeat;
import io.seedtrace.routes.health.HeartbeatRoute;
import io.seedtrace.server.database.SchemaStatements;
import io.seedtrace.server.verification.VerificationConfig;
import io.seedtrace.server.verification.VerificationProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Camel integration hub inside the server. Route builders from the {@code routes} module are
 * registered here as beans; Camel's Spring Boot starter adds them to the context.
 */
@Configuration
public class CamelRoutesConfig {

  @Bean
  public Heartbeat heartbeat() {
    return new Heartbeat(Clock.systemUTC());
  }

  /**
   * The leases that make periodic jobs (the heartbeat, the CT pull round) run on one node of the
   * cluster at a time ({@code st_cluster_lock}); this node's owner name is its node name and a
   * random suffix per start, so a restarted node does not mistake its old lease for its own.
   */
  @Bean
  public ClusterLock clusterLock(DataSource dataSource, VerificationProperties verification,
      @Value("${seedtrace.data-dir}") Path dataDir, @Value("${seedtrace.cluster.name:seedtrace}") String cluster,
      @Value("${seedtrace.cluster.lease:30s}") Duration lease) {
    SchemaStatements.run(new JdbcTemplate(dataSource), ClusterLock.SCHEMA.toArray(String[]::new));
    String owner = VerificationConfig.nodeName(verification, dataDir) + "#" + UUID.randomUUID().toString().substring(0, 8);
    return new ClusterLock(dataSource, cluster, owner.length() <= 400 ? owner : owner.substring(owner.length() - 400), lease,
        Clock.systemUTC());
  }

  @Bean
  public HeartbeatRoute heartbeatRoute(Heartbeat heartbeat, ClusterLock lock) {
    return new HeartbeatRoute(heartbeat, lock);
  }

  /**
   * Health of the integration hub ({@code /actuator/health} component {@code integrationHub}):
   * DOWN when the Camel context is not started, or when no heartbeat came for three periods while
   * no other node holds the heartbeat's lease (the heartbeat runs on one node of the cluster).
   */
  @Bean
  public HealthIndicator integrationHubHealthIndicator(CamelContext camel, Heartbeat heartbeat, ClusterLock lock,
      @Value("${seedtrace.heartbeat.period-ms:10000}") long periodMs) {
    Duration tolerance = Duration.ofMillis(3 * periodMs);
    return () -> {
      ServiceStatus status = camel.getStatus();
      String beatingNode = beatingNode(lock);
      boolean alive = heartbeat.isAlive(tolerance) || (beatingNode != null && !beatingNode.equals(lock.owner()));
      Health.Builder health = status.isStarted() && alive ? Health.up() : Health.down();
      return health
          .withDetail("camelContext", status.name())
          .withDetail("routes", camel.getRoutesSize())
          .withDetail("heartbeats", heartbeat.beats())
          .withDetail("lastHeartbeat", String.valueOf(heartbeat.lastBeat()))
          .withDetail("heartbeatNode", String.valueOf(beatingNode))
          .withDetail("thisNode", lock.owner())
          .build();
    };
  }

  private static String beatingNode(ClusterLock lock) {
    try {
      return lock.holder(HeartbeatRoute.ROUTE_ID).map(ClusterLock.Holder::owner).orElse(null);
    } catch (IllegalStateException databaseDown) {
      return null;
    }
  }
}
