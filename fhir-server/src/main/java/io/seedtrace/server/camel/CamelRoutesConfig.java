package io.seedtrace.server.camel;

import io.seedtrace.routes.health.Heartbeat;
import io.seedtrace.routes.health.HeartbeatRoute;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

  @Bean
  public HeartbeatRoute heartbeatRoute(Heartbeat heartbeat) {
    return new HeartbeatRoute(heartbeat);
  }

  /**
   * Health of the integration hub ({@code /actuator/health} component {@code integrationHub}):
   * DOWN when the Camel context is not started or no heartbeat came for three periods.
   */
  @Bean
  public HealthIndicator integrationHubHealthIndicator(CamelContext camel, Heartbeat heartbeat,
      @Value("${seedtrace.heartbeat.period-ms:10000}") long periodMs) {
    Duration tolerance = Duration.ofMillis(3 * periodMs);
    return () -> {
      ServiceStatus status = camel.getStatus();
      boolean alive = heartbeat.isAlive(tolerance);
      Health.Builder health = status.isStarted() && alive ? Health.up() : Health.down();
      return health
          .withDetail("camelContext", status.name())
          .withDetail("routes", camel.getRoutesSize())
          .withDetail("heartbeats", heartbeat.beats())
          .withDetail("lastHeartbeat", String.valueOf(heartbeat.lastBeat()))
          .build();
    };
  }
}
