package io.seedtrace.routes.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.routes.testing.EmbeddedPostgresDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A periodic job on two nodes sharing one database (embedded PostgreSQL and H2), each node a Camel
 * context with its own lock owner: one node runs the rounds, never two at once; when the holder
 * stops, the other takes over at its next tick; when the holder dies, the other takes over once
 * the lease has run out, not before.
 */
class OncePerClusterTest {

  @RegisterExtension
  static final EmbeddedPostgresDatabase POSTGRES = new EmbeddedPostgresDatabase();

  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final long PERIOD_MS = 50;

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final List<CamelContext> nodes = new ArrayList<>();

  static Stream<String> databases() {
    return Stream.of("postgres", "h2");
  }

  private static DataSource database(String kind) throws Exception {
    DataSource db;
    if (kind.equals("h2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      db = h2;
    } else {
      db = POSTGRES.without("st_cluster_lock");
    }
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      for (String sql : ClusterLock.SCHEMA) {
        s.execute(sql);
      }
    }
    return db;
  }

  /** A node: its own lock owner and Camel context, running the job every 50 ms while it holds the lease. */
  private CamelContext node(DataSource db, String owner, AtomicLong rounds) throws Exception {
    ClusterLock lock = new ClusterLock(db, "test", owner, LEASE, Clock.systemUTC());
    CamelContext camel = new DefaultCamelContext();
    camel.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from(ClusterJobEndpoint.oncePerCluster(getContext(), "job", 0, PERIOD_MS, lock)).routeId("job")
            .process(exchange -> {
              if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              rounds.incrementAndGet();
              running.decrementAndGet();
            });
      }
    });
    camel.start();
    nodes.add(camel);
    return camel;
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(CamelContext::stop);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void oneNodeRunsTheRoundsAndTheOtherTakesOverWhenItStops(String kind) throws Exception {
    DataSource db = database(kind);
    AtomicLong roundsOfA = new AtomicLong();
    AtomicLong roundsOfB = new AtomicLong();
    CamelContext a = node(db, "node-a", roundsOfA);
    CamelContext b = node(db, "node-b", roundsOfB);

    await().atMost(Duration.ofSeconds(10)).until(() -> roundsOfA.get() + roundsOfB.get() >= 20);
    assertThat(List.of(roundsOfA.get(), roundsOfB.get())).as("one node runs the rounds, the other stands by")
        .containsOnlyOnce(0L);
    assertThat(overlaps).as("never two rounds at once").hasValue(0);

    boolean aHolds = roundsOfA.get() > 0;
    AtomicLong standby = aHolds ? roundsOfB : roundsOfA;
    long stoppedAt = System.nanoTime();
    (aHolds ? a : b).stop();
    await().atMost(LEASE).until(() -> standby.get() >= 3);
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).as("took over within the lease").isLessThan(LEASE);
    assertThat(overlaps).hasValue(0);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aNodeThatDiesHoldingTheLeaseIsReplacedWhenTheLeaseRunsOutAndNotBefore(String kind) throws Exception {
    DataSource db = database(kind);
    ClusterLock dead = new ClusterLock(db, "test", "node-a", LEASE, Clock.systemUTC());
    assertThat(dead.hold("job", LEASE)).isTrue(); // node A takes the lease, then dies without giving it up
    long diedAt = System.nanoTime();
    AtomicLong roundsOfB = new AtomicLong();
    AtomicLong firstRoundOfB = new AtomicLong();
    node(db, "node-b", roundsOfB);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      if (roundsOfB.get() > 0) {
        firstRoundOfB.compareAndSet(0, System.nanoTime());
        return true;
      }
      return false;
    });
    assertThat(Duration.ofNanos(firstRoundOfB.get() - diedAt)).as("B waits for A's lease to run out")
        .isGreaterThanOrEqualTo(LEASE.minusMillis(100)).isLessThan(LEASE.multipliedBy(3));
    assertThat(dead.holder("job")).hasValueSatisfying(h -> assertThat(h.owner()).isEqualTo("node-b"));
    assertThat(dead.hold("job", LEASE)).as("A, back, does not get it back while B renews").isFalse();
  }
}
