package io.seedtrace.routes.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import io.seedtrace.routes.cluster.ClusterLock;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class HeartbeatRouteTest {

  @Test
  void beatsWhileTheContextRunsAndStopsBeatingWhenTheRouteStops() throws Exception {
    Heartbeat heartbeat = new Heartbeat(Clock.systemUTC());
    try (CamelContext camel = new DefaultCamelContext()) {
      Properties props = new Properties();
      props.setProperty("seedtrace.heartbeat.period-ms", "20");
      camel.getPropertiesComponent().setInitialProperties(props);
      camel.addRoutes(new HeartbeatRoute(heartbeat, lockOnH2()));
      NotifyBuilder threeBeats = new NotifyBuilder(camel).fromRoute(HeartbeatRoute.ROUTE_ID).whenDone(3).create();
      camel.start();

      assertThat(threeBeats.matches(10, TimeUnit.SECONDS)).isTrue();
      assertThat(heartbeat.beats()).isGreaterThanOrEqualTo(3);
      assertThat(camel.getRouteController().getRouteStatus(HeartbeatRoute.ROUTE_ID)).isEqualTo(ServiceStatus.Started);

      camel.getRouteController().stopRoute(HeartbeatRoute.ROUTE_ID);
      long afterStop = heartbeat.beats();
      NotifyBuilder anyMore = new NotifyBuilder(camel).fromRoute(HeartbeatRoute.ROUTE_ID).whenDone(1).create();
      assertThat(anyMore.matches(200, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(heartbeat.beats()).isEqualTo(afterStop);
    }
  }

  private static ClusterLock lockOnH2() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:heartbeat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
      s.execute(ClusterLock.SCHEMA.get(0));
    }
    return new ClusterLock(h2, "test", "this-node", Duration.ofSeconds(30), Clock.systemUTC());
  }

  @Test
  void isAliveOnlyWithinToleranceOfTheLastBeat() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Heartbeat heartbeat = new Heartbeat(clock);
    assertThat(heartbeat.isAlive(Duration.ofSeconds(30))).as("fresh start counts as alive").isTrue();

    clock.advance(Duration.ofSeconds(31));
    assertThat(heartbeat.isAlive(Duration.ofSeconds(30))).as("no beat since start").isFalse();

    heartbeat.beat();
    assertThat(heartbeat.isAlive(Duration.ofSeconds(30))).isTrue();
    assertThat(heartbeat.lastBeat()).isEqualTo(clock.instant());

    clock.advance(Duration.ofSeconds(30));
    assertThat(heartbeat.isAlive(Duration.ofSeconds(30))).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(heartbeat.isAlive(Duration.ofSeconds(30))).isFalse();
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
