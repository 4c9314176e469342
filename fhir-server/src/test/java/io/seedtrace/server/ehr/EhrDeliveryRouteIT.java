package io.seedtrace.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.server.support.FakeEhr;
import io.seedtrace.server.support.RunningOutbox;
import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EHR outbox as the routes console shows it (issue 14 item 2, issue 15 item 6): each message is
 * an exchange of {@code ehr-delivery}, an attempt the EHR refused fails its exchange and goes
 * through {@code ehr-delivery-retry}, a message refused for good ends on
 * {@code ehr-delivery-dead-letter}, and an idle outbox makes no exchange at all. Real HTTP to an
 * EHR that is down and then up, real H2 and PostgreSQL.
 */
class EhrDeliveryRouteIT {

  static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  static Stream<String> databases() {
    return TestDatabases.kinds();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void failuresRetriesDeliveriesAndDeadLettersAreRouteStateAndAnIdleOutboxMakesNoExchange(String database)
      throws Exception {
    try (FakeEhr ehr = new FakeEhr(EhrOutboxIT.TOKEN)) {
      EhrProperties properties = EhrOutboxIT.properties(ehr, Duration.ofSeconds(5), Duration.ofMinutes(1));
      EhrOutbox outbox = new EhrOutbox(TestDatabases.fresh(database, POSTGRES, "st_outbox"),
          new EhrClient(properties, Clock.systemUTC()), properties, Clock.systemUTC());
      try (RunningOutbox node = RunningOutbox.start(EhrOutbox.ROUTE_ID, outbox, 50)) {
        ManagedRouteMBean delivery = node.route("");
        ManagedRouteMBean retry = node.route("-retry");
        ManagedRouteMBean deadLetter = node.route("-dead-letter");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
            .until(() -> delivery.getExchangesTotal() == 0);

        ehr.setDown(true);
        for (int i = 0; i < 3; i++) {
          outbox.enqueue("Patient/" + i, "result " + i, "VER-" + i, FakeEhr.bundle("VER-" + i));
        }
        outbox.kick();
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery.getExchangesFailed() >= 6);
        assertThat(delivery.getExchangesCompleted()).as("nothing delivered while the EHR is down").isZero();

        ehr.setDown(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.count("DELIVERED") == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivery.getExchangesCompleted() == 3);
        assertThat(retry.getExchangesCompleted()).as("each failed attempt waits its backoff on the retry route")
            .isEqualTo(delivery.getExchangesFailed());
        assertThat(delivery.getExchangesTotal()).as("one exchange per attempt, none for the idle polls")
            .isEqualTo(ehr.attempts().size());

        long afterDelivery = delivery.getExchangesTotal();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
            .until(() -> delivery.getExchangesTotal() == afterDelivery);

        outbox.enqueue("Patient/9", "not a bundle", "VER-bad", "{\"resourceType\":\"Bundle\",\"type\":");
        outbox.kick();
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter.getExchangesCompleted() == 1);
        assertThat(outbox.undelivered()).singleElement().satisfies(m -> {
          assertThat(m.status()).isEqualTo("DEAD");
          assertThat(m.lastError()).contains("400");
        });
        assertThat(delivery.getExchangesFailed()).isEqualTo(retry.getExchangesCompleted() + 1);
        assertThat(delivery.getExchangesCompleted()).isEqualTo(3);
      }
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    POSTGRES.close();
  }
}
