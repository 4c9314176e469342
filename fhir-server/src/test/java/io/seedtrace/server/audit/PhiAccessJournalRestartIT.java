package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.seedtrace.server.SeedTraceApplication;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.Tokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The PHI access journal outlives the node that wrote it: a first server on an H2 file, whose
 * converter never gets to run (it waits an hour for the reads to pause) and whose in-memory queue
 * holds one access (every concurrent read waits for room), journals every read of 8 clients and
 * stops; a second server on the same file converts what it finds into BALP AuditEvents naming the
 * node that recorded them, each read once, and the audit chain verifies.
 */
class PhiAccessJournalRestartIT {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String JSON = "application/fhir+json";
  static final int CLIENTS = 8;
  static final int READS_PER_CLIENT = 25;

  ConfigurableApplicationContext server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void readsJournaledByANodeThatStoppedAreRecordedByTheNextOneOnTheSameDatabase() throws Exception {
    Path dataDir = Files.createTempDirectory("seedtrace-journal-restart");
    server = start(dataDir, "node-first", "--seedtrace.audit.phi-access.queue-capacity=1",
        "--seedtrace.audit.phi-access.journal-batch-size=1", "--seedtrace.audit.phi-access.queue-wait=1m",
        "--seedtrace.audit.phi-access.quiet-period=1h", "--seedtrace.audit.phi-access.max-delay=1h");
    Http http = new Http(base());
    String physician = new Tokens(base()).forRole("physician");
    String patient = PhiAccessAuditIT.created(http.send("POST", "/fhir/Patient", physician, JSON,
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Journaled\"}]}"));
    String observation = PhiAccessAuditIT.created(http.send("POST", "/fhir/Observation", physician, JSON,
        PhiAccessAuditIT.observationOf(patient)));

    readConcurrently(http, physician, observation);
    AuditBatchWriter<?> writer = server.getBean("phiAccessWriter", AuditBatchWriter.class);
    PhiAccessJournal journal = server.getBean(PhiAccessJournal.class);
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> journal.waiting() == CLIENTS * READS_PER_CLIENT);
    assertThat(writer.dropped()).as("a full queue made reads wait, it lost none").isZero();
    assertThat(count(patient)).as("journaled, not converted yet").isZero();
    server.close();

    server = start(dataDir, "node-second");
    Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
        .until(() -> count(patient) >= CLIENTS * READS_PER_CLIENT);
    assertThat(count(patient)).as("each read once").isEqualTo(CLIENTS * READS_PER_CLIENT);
    List<AuditEvent> recorded = reads(patient);
    assertThat(recorded).hasSize(CLIENTS * READS_PER_CLIENT);
    assertThat(recorded).allSatisfy(e -> {
      assertThat(e.getSource().getSite()).as("the node that recorded the read").isEqualTo("node-first");
      assertThat(PhiAccessAuditIT.entity(e, "4").getWhat().getReference()).isEqualTo(observation);
    });
    assertThat(server.getBean(PhiAccessJournal.class).waiting()).isZero();
    Parameters check = FHIR.newJsonParser().parseResource(Parameters.class,
        new Http(base()).get("/fhir/$verify-audit-chain", new Tokens(base()).forRole("auditor")).body());
    assertThat(check.getParameterValue("intact").primitiveValue())
        .as(String.valueOf(check.getParameterValue("reason"))).isEqualTo("true");
  }

  static ConfigurableApplicationContext start(Path dataDir, String node, String... settings) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--seedtrace.data-dir=" + dataDir,
        "--seedtrace.dicom.port=0", "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false",
        "--camel.main.name=seedtrace-" + node, "--seedtrace.audit.phi-access.node-name=" + node));
    args.addAll(List.of(settings));
    return new SpringApplicationBuilder(SeedTraceApplication.class).run(args.toArray(String[]::new));
  }

  String base() {
    return "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  static void readConcurrently(Http http, String token, String observation) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        done.add(clients.submit(() -> {
          for (int i = 0; i < READS_PER_CLIENT; i++) {
            assertThat(http.get("/fhir/" + observation, token).statusCode()).isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** How many BALP read events name this patient (counted by the server). */
  int count(String patient) {
    HttpResponse<String> response = new Http(base()).get("/fhir/AuditEvent?_summary=count&patient=" + patient
        + "&subtype=" + PhiAccessAuditIT.INTERACTION + "%7Cread", new Tokens(base()).forRole("auditor"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getTotal();
  }

  /** The BALP read events naming this patient (the first 200), as the auditor finds them. */
  List<AuditEvent> reads(String patient) {
    HttpResponse<String> response = new Http(base()).get("/fhir/AuditEvent?_count=200&patient=" + patient
        + "&subtype=" + PhiAccessAuditIT.INTERACTION + "%7Cread", new Tokens(base()).forRole("auditor"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
        .map(e -> (AuditEvent) e.getResource()).toList();
  }
}
