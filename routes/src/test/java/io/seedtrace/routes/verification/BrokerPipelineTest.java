package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.detection.plan.PositionSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The pipeline with its study queue on a real RabbitMQ broker (127.0.0.1:5672, guest/guest, as on
 * the CI machine); skipped with a message where none listens. Each test uses a queue of its own
 * and deletes it afterwards.
 */
class BrokerPipelineTest {

  static final String BROKER = "amqp://guest:guest@127.0.0.1:5672";

  final VerificationPipelineTest.Records records = new VerificationPipelineTest.Records();
  CachingConnectionFactory connections;
  CamelContext camel;
  String queueName;

  @BeforeAll
  static void aBrokerListens() {
    boolean listening;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
      listening = true;
    } catch (IOException nothing) {
      listening = false;
    }
    assumeTrue(listening, "no RabbitMQ listens on 127.0.0.1:5672: the broker path of the pipeline is not tested here");
  }

  void start(int concurrency, int redeliveries, int maxAttempts) throws Exception {
    connections = connect();
    queueName = "seedtrace.test.studies." + System.nanoTime();
    camel = node(connections, records, concurrency, redeliveries, maxAttempts);
  }

  static CachingConnectionFactory connect() {
    CachingConnectionFactory c = new CachingConnectionFactory(URI.create(BROKER));
    c.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    return c;
  }

  /** A node: a Camel context with the pipeline on the test's broker queue. */
  CamelContext node(CachingConnectionFactory broker, VerificationPipelineTest.Records on, int concurrency,
      int redeliveries, int maxAttempts) throws Exception {
    JdbcStudyQueue unused = new JdbcStudyQueue(JdbcStudyQueueTest.database("broker-" + System.nanoTime()), "node",
        false, Duration.ofSeconds(30), 3, Duration.ofMillis(50), Clock.systemUTC());
    PipelineSettings settings = new PipelineSettings(true, concurrency, Duration.ofMillis(100), redeliveries,
        Duration.ofMillis(50), Duration.ofSeconds(30), PositionSettings.defaults());
    CamelContext context = new DefaultCamelContext();
    context.getRegistry().bind("testBroker", broker);
    context.addRoutes(new VerificationPipeline(settings, unused,
        Optional.of(new BrokerSettings("testBroker", queueName, maxAttempts)), on, on, on, on));
    context.start();
    return context;
  }

  @AfterEach
  void stop() throws Exception {
    if (camel != null) {
      camel.close();
    }
    if (connections != null) {
      new RabbitAdmin(connections).deleteQueue(queueName);
      connections.destroy();
    }
  }

  @Test
  void aStudyPassesThroughTheBrokerAndIsVerifiedOnceWhenSentTwice() throws Exception {
    start(2, 0, 3);
    NotifyBuilder both = new NotifyBuilder(camel).fromRoute(VerificationPipeline.STUDY_ROUTE_ID).whenDone(2).create();
    camel.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT, VerificationPipelineTest.ct("P1", "1.2.3.4"));
    await().atMost(Duration.ofSeconds(20)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.4-3"));
    camel.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT, VerificationPipelineTest.ct("P1", "1.2.3.4"));

    assertThat(both.matches(20, TimeUnit.SECONDS)).as("both messages were taken").isTrue();
    assertThat(records.outcomes).containsExactly("UNMATCHED VER-1.2.3.4-3");
    assertThat(records.matchCalls).as("the repeat was skipped").hasValue(1);
    // declaring the queue again as durable fails (PRECONDITION_FAILED) unless it is durable
    new RabbitAdmin(connections).declareQueue(new Queue(queueName, true, false, false));
  }

  @Test
  void aStudyWhoseStepsKeepFailingGoesBackToTheBrokerAndIsGivenUpAfterItsLastAttempt() throws Exception {
    start(2, 1, 2);
    records.matcher = e -> Optional.of(new Implant("Patient/1", "Procedure/2", Optional.of("Device/3"), "accession"));
    camel.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT, VerificationPipelineTest.ct("P1", "1.2.3.4"));

    await().atMost(Duration.ofSeconds(20)).until(() -> records.outcomes.contains("FAILED VER-1.2.3.4-3"));
    assertThat(records.matchCalls).as("two attempts").hasValue(2);
  }

  @Test
  void aSlowStudyDoesNotHoldUpTheStudyQueuedAfterIt() throws Exception {
    start(2, 0, 3);
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowMayGoOn = new CountDownLatch(1);
    records.matcher = e -> {
      if (e.patientId().equals("SLOW")) {
        VerificationPipelineTest.hold(slowStarted, slowMayGoOn);
      }
      return Optional.empty();
    };
    try {
      camel.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT,
          VerificationPipelineTest.ct("SLOW", "1.2.3.1"));
      assertThat(slowStarted.await(20, TimeUnit.SECONDS)).isTrue();
      camel.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT,
          VerificationPipelineTest.ct("FAST", "1.2.3.2"));

      await().atMost(Duration.ofSeconds(20)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.2-3"));
      assertThat(records.outcomes).containsExactly("UNMATCHED VER-1.2.3.2-3");
    } finally {
      slowMayGoOn.countDown();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.1-3"));
  }

  @Test
  void aStudyWhoseNodeDiesMidwayGoesToAnotherNode() throws Exception {
    connections = connect();
    queueName = "seedtrace.test.studies." + System.nanoTime();
    VerificationPipelineTest.Records atA = new VerificationPipelineTest.Records();
    CountDownLatch aStarted = new CountDownLatch(1);
    CountDownLatch aMayGoOn = new CountDownLatch(1);
    atA.matcher = e -> {
      VerificationPipelineTest.hold(aStarted, aMayGoOn);
      throw new IllegalStateException("node A is dead");
    };
    CachingConnectionFactory aConnection = connect();
    CamelContext nodeA = node(aConnection, atA, 1, 0, 3);
    try {
      nodeA.createProducerTemplate().sendBody(VerificationPipeline.ENDPOINT,
          VerificationPipelineTest.ct("P1", "1.2.3.4"));
      assertThat(aStarted.await(20, TimeUnit.SECONDS)).as("A took the study").isTrue();
      camel = node(connections, records, 1, 0, 3); // node B
      aConnection.resetConnection(); // A's link to the broker is gone: its study was never acknowledged

      await().atMost(Duration.ofSeconds(20)).until(() -> records.outcomes.contains("UNMATCHED VER-1.2.3.4-3"));
      assertThat(records.matchCalls).hasValue(1);
      assertThat(atA.outcomes).isEmpty();
    } finally {
      aMayGoOn.countDown();
      nodeA.close();
      aConnection.destroy();
    }
  }
}
