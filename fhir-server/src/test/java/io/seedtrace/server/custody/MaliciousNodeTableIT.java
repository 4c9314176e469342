package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.core.trace.MaliciousNodeLibrary;
import io.seedtrace.core.trace.TransmissionPath;
import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malicious node library of two nodes sharing one database (PostgreSQL and H2): what one node
 * lists, the other refuses on its next check; failed trace calls seen by either node add up; a
 * removal on one node is a removal on both.
 */
class MaliciousNodeTableIT {

  static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  static Stream<String> databases() {
    return TestDatabases.kinds();
  }

  static DataSource freshDatabase(String kind) {
    return TestDatabases.fresh(kind, POSTGRES, "st_malicious_node, st_trace_failure");
  }

  static MaliciousNodeLibrary node(DataSource db) {
    return new MaliciousNodeLibrary(5, Duration.ofMinutes(10), Clock.systemUTC(), new MaliciousNodeTable(db));
  }

  static TransmissionPath through(String peer, String relay) {
    return TransmissionPath.of(peer, List.of(), List.of(), relay == null ? List.of() : List.of(relay));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aListingOnOneNodeIsEnforcedOnTheOtherAtOnce(String database) {
    DataSource db = freshDatabase(database);
    MaliciousNodeLibrary a = node(db);
    MaliciousNodeLibrary b = node(db);
    a.add("relay-leaky");
    a.add("203.0.113.0/24");
    assertThat(b.firstMaliciousHop(through("10.0.0.9", "relay-leaky"))).contains("relay-leaky");
    assertThat(b.firstMaliciousHop(through("203.0.113.7", null))).contains("203.0.113.7");
    assertThat(b.entries()).containsExactly("203.0.113.0/24", "relay-leaky");

    assertThat(b.remove("relay-leaky")).isTrue();
    assertThat(a.firstMaliciousHop(through("10.0.0.9", "relay-leaky"))).isEmpty();
    assertThat(a.remove("relay-leaky")).as("removed already, by the other node").isFalse();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void failuresSeenByEitherNodeAddUp(String database) {
    DataSource db = freshDatabase(database);
    MaliciousNodeLibrary a = node(db);
    MaliciousNodeLibrary b = node(db);
    for (int i = 0; i < 2; i++) {
      assertThat(a.recordFailure("198.51.100.9")).isFalse();
      assertThat(b.recordFailure("198.51.100.9")).isFalse();
    }
    assertThat(a.recordFailure("198.51.100.9")).as("the fifth failure, counted over both nodes").isTrue();
    assertThat(b.firstMaliciousHop(through("198.51.100.9", null))).contains("198.51.100.9");
    assertThat(b.recordFailure("198.51.100.10")).as("another node's count starts at one").isFalse();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    POSTGRES.close();
  }
}
