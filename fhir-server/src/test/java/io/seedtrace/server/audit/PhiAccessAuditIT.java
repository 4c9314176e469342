package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * PHI access audit (issue 13 finding 8) over real HTTP with real tokens on the H2 server: a
 * physician's read, search and history of a patient's Observation each leave an IHE BALP AuditEvent
 * naming the physician, the client's address, this node, the patient and the resource or the query;
 * the events are in the audit chain and the chain verifies; reading AuditEvents stays for
 * {@code auditor} and {@code admin}, and is not itself recorded.
 */
class PhiAccessAuditIT extends ServerTestBase {

  static final String JSON = "application/fhir+json";
  static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";

  String physician;
  String patient;
  String observation;

  Http http() {
    return new Http(baseUrl());
  }

  /** Each test has its own patient, with an Observation, created by a physician. */
  @BeforeEach
  void aPatientWithAnObservation() {
    physician = tokens().forRole("physician");
    String[] created = patientWithObservation(http(), physician, "Audited");
    patient = created[0];
    observation = created[1];
  }

  @Test
  void aPhysiciansReadOfAPatientsObservationIsRecordedAsABalpPatientRead() {
    assertThat(http().get("/fhir/" + observation, physician).statusCode()).isEqualTo(200);

    AuditEvent read = awaitOne(patient, "read");
    assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(read.getType().getCode()).isEqualTo("rest");
    assertThat(read.getMeta().getProfile()).extracting(p -> p.getValue())
        .containsExactly("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
    AuditEvent.AuditEventAgentComponent user = read.getAgent().stream().filter(a -> a.getRequestor()).findFirst().orElseThrow();
    assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("physician-cli");
    assertThat(read.getAgent()).anySatisfy(a -> {
      assertThat(a.getType().getCodingFirstRep().getCode()).isEqualTo("110153");
      assertThat(a.getNetwork().getAddress()).isEqualTo("127.0.0.1");
    });
    assertThat(read.getAgent()).anySatisfy(a -> assertThat(a.getType().getCodingFirstRep().getCode()).isEqualTo("110152"));
    assertThat(read.getSource().getSite()).isNotBlank();
    assertThat(entity(read, "4").getWhat().getReference()).isEqualTo(observation);
    assertThat(entity(read, "1").getWhat().getReference()).isEqualTo(patient);
    assertThat(entity(read, "1").getType().getCode()).isEqualTo("1");
    assertInTheChain(read);
    assertIntact();
  }

  @Test
  void aSearchAndAHistoryAreRecordedAsBalpPatientQueriesWithTheQuery() {
    String query = "Observation?subject=" + patient + "&status=final";
    HttpResponse<String> search = http().get("/fhir/" + query, physician);
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(search.body()).contains(observation.substring("Observation/".length()));
    assertThat(http().get("/fhir/" + observation + "/_history", physician).statusCode()).isEqualTo(200);

    AuditEvent searched = awaitOne(patient, "search-type");
    assertThat(searched.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(searched.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor).singleElement()
        .satisfies(u -> assertThat(u.getWho().getIdentifier().getValue()).isEqualTo("physician-cli"));
    AuditEvent.AuditEventEntityComponent queried = entity(searched, "24");
    assertThat(queried.getType().getCode()).isEqualTo("2");
    assertThat(new String(queried.getQuery(), StandardCharsets.UTF_8)).isEqualTo(query);
    assertThat(entity(searched, "1").getWhat().getReference()).isEqualTo(patient);
    assertInTheChain(searched);

    AuditEvent history = awaitOne(patient, "history-instance");
    assertThat(new String(entity(history, "24").getQuery(), StandardCharsets.UTF_8))
        .isEqualTo(observation + "/_history");
    assertIntact();
  }

  @Test
  void readingAuditEventsStaysWithAuditorAndAdminAndIsNotItselfRecorded() {
    for (String role : List.of("physician", "nurse", "physicist", "ehr-system", "manufacturer", "logistics")) {
      assertThat(http().get("/fhir/AuditEvent?_count=1", tokens().forRole(role)).statusCode()).as(role).isEqualTo(403);
    }
    String auditor = tokens().forRole("auditor");
    assertThat(http().get("/fhir/AuditEvent?patient=" + patient, auditor).statusCode()).isEqualTo(200);
    assertThat(http().get("/fhir/AuditEvent?patient=" + patient, tokens().forRole("admin")).statusCode()).isEqualTo(200);
    // a later access by the physician is written after the auditor's reads (one queue, in order)
    assertThat(http().get("/fhir/" + patient, physician).statusCode()).isEqualTo(200);
    awaitOne(patient, "read");
    assertThat(events(patient, null)).as("only the physician's read").hasSize(1);
    // other tests of the shared server read patient data as admin: what must never be recorded is a
    // read of the audit log itself
    assertThat(events(null, null)).noneSatisfy(e -> assertThat(e.getEntity()).anySatisfy(
        entity -> assertThat(entity.hasQuery() ? new String(entity.getQuery(), java.nio.charset.StandardCharsets.UTF_8)
            : entity.getWhat().getReference()).contains("AuditEvent")));
  }

  @Autowired
  AuditBatchWriter<PhiAccess> writer;

  @Autowired
  PhiAccessConverter converter;

  @Autowired
  PhiAccessJournal journal;

  /**
   * Reads by 8 clients without a pause for longer than {@code max-delay} (10 s): the converter,
   * holding back during the burst and then at the lowest CPU priority, falls behind and the journal
   * holds the rest; once the reads stop, every one of them becomes an AuditEvent, none dropped, the
   * chain intact.
   */
  @Test
  void readsFasterThanTheConverterForAWhileAreAllRecordedAfterwardsNoneDropped() throws Exception {
    long droppedBefore = writer.dropped();
    long convertedBefore = converter.converted();
    int reads = readWithoutPause(8, Duration.ofSeconds(12));
    long convertedDuringTheReads = converter.converted() - convertedBefore;
    assertThat(convertedDuringTheReads).as("the converter was behind the reads").isLessThan(reads);
    assertThat(writer.queued() + journal.waiting()).as("what it has not converted waits in the journal").isPositive();

    Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
        .until(() -> recorded(patient, "read") >= reads);
    assertThat(recorded(patient, "read")).as("each read once").isEqualTo(reads);
    assertThat(writer.dropped() - droppedBefore).as("dropped").isZero();
    assertIntact();
  }

  /** GETs of the test's Observation by {@code clients} clients for {@code lasting}; returns how many. */
  int readWithoutPause(int clients, Duration lasting) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    long end = System.nanoTime() + lasting.toNanos();
    try {
      List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(pool.submit(() -> {
          Http http = http();
          while (System.nanoTime() < end) {
            assertThat(http.get("/fhir/" + observation, physician).statusCode()).isEqualTo(200);
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : running) {
        f.get(lasting.toSeconds() + 120, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return done.get();
  }

  /** How many BALP events of this interaction name this patient (counted by the server). */
  int recorded(String patient, String interaction) {
    HttpResponse<String> response = http().get("/fhir/AuditEvent?_summary=count&patient=" + patient + "&subtype="
        + INTERACTION + "%7C" + interaction, tokens().forRole("auditor"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getTotal();
  }

  // ------------------------------------------------------------------------------------------------

  /** A new Patient and an Observation about it, created by the given token: their ids. */
  static String[] patientWithObservation(Http http, String token, String family) {
    String patient = created(http.send("POST", "/fhir/Patient", token, JSON,
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}"));
    return new String[] {patient, created(http.send("POST", "/fhir/Observation", token, JSON, observationOf(patient)))};
  }

  static String observationOf(String patient) {
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"seed count\"},"
        + "\"subject\":{\"reference\":\"" + patient + "\"}}";
  }

  /** Waits for the BALP event of this interaction about this patient, and checks it is the only one. */
  AuditEvent awaitOne(String patient, String interaction) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !events(patient, interaction).isEmpty());
    List<AuditEvent> found = events(patient, interaction);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The BALP (restful-interaction) events, of one patient and one interaction when given. */
  List<AuditEvent> events(String patient, String interaction) {
    String query = "/fhir/AuditEvent?_count=200" + (patient == null ? "" : "&patient=" + patient)
        + (interaction == null ? "" : "&subtype=" + INTERACTION + "%7C" + interaction);
    HttpResponse<String> response = http().get(query, tokens().forRole("auditor"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
        .map(e -> (AuditEvent) e.getResource())
        .filter(e -> INTERACTION.equals(e.getSubtypeFirstRep().getSystem())).toList();
  }

  static AuditEvent.AuditEventEntityComponent entity(AuditEvent event, String role) {
    return event.getEntity().stream().filter(e -> role.equals(e.getRole().getCode())).findFirst().orElseThrow();
  }

  static void assertInTheChain(AuditEvent event) {
    assertThat(event.getEntityFirstRep().getDetail()).extracting(d -> d.getType())
        .contains("chain-sequence", "chain-previous", "chain-hash");
  }

  void assertIntact() {
    Parameters check = fhirAs("auditor").operation().onServer().named("$verify-audit-chain")
        .withNoParameters(Parameters.class).useHttpGet().execute();
    assertThat(check.getParameterValue("intact").primitiveValue()).as(String.valueOf(check.getParameterValue("reason")))
        .isEqualTo("true");
  }

  static String created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String location = response.headers().firstValue("Location").orElseThrow();
    String path = location.substring(location.indexOf("/fhir/") + "/fhir/".length());
    return path.replaceAll("/_history/.*", "");
  }
}
