package io.seedtrace.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.seedtrace.server.support.RunningOutbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification queue on a real H2 file database and a real HTTP endpoint: a notification the
 * endpoint missed while it was down is still delivered by a server started again on the same
 * database; an endpoint that refuses for good gets a dead letter the administrator is told of.
 */
class NotificationOutboxTest {

  private static final NotificationProperties SETTINGS = new NotificationProperties(Duration.ofMillis(250), 300,
      Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(2),
      Duration.ofMinutes(1));

  @TempDir
  Path dir;

  private HttpServer endpoint;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> toldAdministrator = new ArrayList<>();
  private final List<RunningOutbox> routes = new ArrayList<>();

  @AfterEach
  void stopEndpoint() {
    routes.forEach(RunningOutbox::close);
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  /** The outbox's delivery routes, polling once an hour: the test runs each pass itself. */
  private RunningOutbox routesOf(NotificationOutbox outbox) {
    RunningOutbox running = RunningOutbox.start(NotificationOutbox.ROUTE_ID, outbox, 3_600_000);
    routes.add(running);
    return running;
  }

  private DataSource database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("seedtrace") + ";WRITE_DELAY=0");
    return h2;
  }

  private void startEndpoint(int port, int status) throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    endpoint.createContext("/hook", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("X-Ehr-Key") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    endpoint.start();
  }

  private static NotificationOutbox.Request alarmTo(int port) {
    return new NotificationOutbox.Request("sub-1", "PUT", "http://127.0.0.1:" + port + "/hook/DetectedIssue/7",
        List.of("X-Ehr-Key: k1"), "application/fhir+json", "{\"resourceType\":\"DetectedIssue\",\"id\":\"7\"}");
  }

  @Test
  void aNotificationMissedWhileTheEndpointWasDownIsDeliveredAfterARestart() throws IOException {
    int port = freePort();
    NotificationOutbox before = new NotificationOutbox(database(), SETTINGS, toldAdministrator::add,
        Clock.systemUTC());
    before.enqueue(alarmTo(port));
    assertThat(routesOf(before).deliverDue()).isZero();
    assertThat(before.of("sub-1")).singleElement().satisfies(n -> {
      assertThat(n.status()).isEqualTo("PENDING");
      assertThat(n.attempts()).isEqualTo(1);
      assertThat(n.lastError()).contains("unreachable");
      assertThat(n.nextAttemptAt()).as("waits its backoff").isAfter(n.createdAt());
    });

    startEndpoint(port, 200);
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
    NotificationOutbox afterRestart = new NotificationOutbox(database(), SETTINGS, toldAdministrator::add, later);
    assertThat(routesOf(afterRestart).deliverDue()).isEqualTo(1);
    assertThat(received).containsExactly("PUT /hook/DetectedIssue/7 k1 {\"resourceType\":\"DetectedIssue\",\"id\":\"7\"}");
    assertThat(afterRestart.of("sub-1")).singleElement()
        .satisfies(n -> assertThat(n.status()).isEqualTo("DELIVERED"));
    assertThat(toldAdministrator).isEmpty();
  }

  @Test
  void anEndpointThatRefusesForGoodGetsADeadLetterTheAdministratorIsToldOf() throws IOException {
    startEndpoint(0, 404);
    NotificationOutbox outbox = new NotificationOutbox(database(), SETTINGS, toldAdministrator::add,
        Clock.systemUTC());
    outbox.enqueue(alarmTo(endpoint.getAddress().getPort()));
    RunningOutbox running = routesOf(outbox);
    assertThat(running.deliverDue()).isZero();
    assertThat(outbox.of("sub-1")).singleElement().satisfies(n -> {
      assertThat(n.status()).isEqualTo("DEAD");
      assertThat(n.lastError()).contains("404");
    });
    assertThat(toldAdministrator).singleElement().asString().contains("Subscription/sub-1").contains("404");
    assertThat(running.route("-dead-letter").getExchangesCompleted()).as("shown on the dead-letter route").isEqualTo(1);
    assertThat(running.route("").getExchangesFailed()).as("the attempt failed its exchange").isEqualTo(1);
  }

  @Test
  void theWaitDoublesAfterEachFailureUpToTheLongest() {
    assertThat(List.of(1, 2, 3, 9, 10, 50)).extracting(SETTINGS::backoff).containsExactly(Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(256), Duration.ofMinutes(5),
        Duration.ofMinutes(5));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
