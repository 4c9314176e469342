package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.routes.verification.BrokerSettings;
import io.seedtrace.routes.verification.JdbcStudyQueue;
import io.seedtrace.routes.verification.VerificationPipeline;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server with {@code seedtrace.broker.url} set: a CT study pushed over DICOM passes through a
 * real RabbitMQ queue (127.0.0.1:5672, guest/guest, as on the CI machine) and its report reaches
 * the EHR; the database queue is not used. Skipped with a message where no broker listens.
 */
class BrokerVerificationIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  @Autowired
  CamelContext camel;

  @Autowired
  JdbcStudyQueue table;

  @BeforeAll
  static void aBrokerListens() {
    boolean listening;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
      listening = true;
    } catch (IOException nothing) {
      listening = false;
    }
    assumeTrue(listening, "no RabbitMQ listens on 127.0.0.1:5672: the server's broker path is not tested here");
  }

  static final String NODE = "broker-it-" + System.nanoTime();

  @Autowired
  CachingConnectionFactory broker;

  @DynamicPropertySource
  static void broker(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.broker.url", () -> "amqp://guest:guest@127.0.0.1:5672");
    registry.add("seedtrace.verification.node-name", () -> NODE);
    ownDatabaseAndSpool(registry, "seedtrace-broker-it");
  }

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void aStudyPassesThroughTheBrokerAndItsReportReachesTheEhr() throws Exception {
    assertThat(camel.getRoute(VerificationPipeline.STUDY_ROUTE_ID).getEndpoint().getEndpointUri())
        .startsWith("spring-rabbitmq:");
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), VerificationIT.TODAY);
    List<byte[]> files = series.files(VerificationIT.phantom(18, 11).scan());
    CtSeries.send(dicom.port(), files);

    await().atMost(Duration.ofSeconds(120)).until(() -> EHR.created(DiagnosticReport.class).stream()
        .anyMatch(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + series.seriesUid + "-")));
    assertThat(table.status("VER-" + series.seriesUid + "-" + files.size()))
        .as("the study went through the broker, not the table").isEmpty();
  }

  /** The node's queue is durable: it would outlive the test on the shared broker. */
  @AfterEach
  void deleteTheNodesQueue() {
    new RabbitAdmin(broker).deleteQueue(BrokerSettings.queueFor(NODE, false));
  }
}
