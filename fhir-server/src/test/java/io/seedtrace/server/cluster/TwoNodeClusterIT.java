package io.seedtrace.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.seedtrace.core.sealing.TraceKey;
import io.seedtrace.server.SeedTraceApplication;
import io.seedtrace.routes.cluster.ClusterLock;
import io.seedtrace.routes.health.Heartbeat;
import io.seedtrace.routes.health.HeartbeatRoute;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.ehr.EhrOutbox;
import com.fasterxml.jackson.databind.JsonNode;
import io.seedtrace.server.support.BulkExportClient;
import io.seedtrace.server.support.FakeEhr;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.SmartBackendClient;
import io.seedtrace.server.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import com.nimbusds.jose.JWSAlgorithm;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two SeedTrace nodes, each a whole application (its own Spring context, HTTP port, DICOM node,
 * Camel routes and data directory) in this JVM, sharing one embedded PostgreSQL and one
 * key-encryption key, as docs/operations.md describes: a slow EHR gets each message once, in order
 * per patient; a token and a trace key from one node are good on the other; a node listed as
 * malicious on one is refused by the other within a second; 2 x 50 concurrent writes, half on
 * each node, leave the audit chain intact, and so do patient reads on both nodes amid writes (PHI
 * access events written in batches by each node) and a crash before the chain's head moves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterIT {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String EHR_TOKEN = "cluster-ehr-token";
  static final String JSON = "application/fhir+json";

  static EmbeddedPostgres postgres;
  static FakeEhr ehr;
  /** An EHR's SMART Backend Services client, registered on both nodes with an inline JWK Set. */
  static SmartBackendClient smart;
  static Node a;
  static Node b;
  static CustodyChainSteps.Implant implant;

  /** One node: a running application and what the test reaches in it. */
  record Node(String name, ConfigurableApplicationContext context) {

    static Node start(String name, Path dataDir, String jdbcUrl, String keyEncryptionKey) {
      ConfigurableApplicationContext context = new SpringApplicationBuilder(SeedTraceApplication.class).run(
          "--server.port=0", "--seedtrace.data-dir=" + dataDir, "--spring.profiles.active=postgres",
          "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
          "--spring.datasource.password=postgres",
          "--seedtrace.security.key-encryption-key=" + keyEncryptionKey,
          "--seedtrace.security.embedded-issuer.issuer=https://seedtrace.cluster.test",
          "--seedtrace.dicom.port=0", "--seedtrace.ehr.base-url=" + ehr.baseUrl(), "--seedtrace.ehr.auth=bearer",
          "--seedtrace.ehr.bearer-token=" + EHR_TOKEN, "--seedtrace.ehr.poll-period=100ms",
          "--seedtrace.ehr.initial-backoff=200ms", "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false",
          "--camel.main.name=seedtrace-" + name, "--seedtrace.audit.phi-access.node-name=node-" + name,
          "--seedtrace.audit.phi-access.journal-interval=200ms",
          "--seedtrace.security.embedded-issuer.clients.smart-inline.roles=ehr-system",
          "--seedtrace.security.embedded-issuer.clients.smart-inline.jwks=" + smart.inlineEcJwks());
      return new Node(name, context);
    }

    String base() {
      return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    Http http() {
      return new Http(base());
    }

    String token(String role) {
      return new Tokens(base()).forRole(role);
    }

    IGenericClient fhir(String role) {
      FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      // a loaded build machine may answer slower than the client default of 10 s
      FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
      IGenericClient client = FHIR.newRestfulGenericClient(base() + "/fhir");
      client.registerInterceptor(new BearerTokenAuthInterceptor(token(role)));
      return client;
    }
  }

  @BeforeAll
  static void startTwoNodes() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    ehr = new FakeEhr(EHR_TOKEN);
    smart = new SmartBackendClient();
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    String keyEncryptionKey = Base64.getEncoder().encodeToString(kek);
    String url = postgres.getJdbcUrl("postgres", "postgres");
    // one after the other: the first node creates the schema on the empty database
    a = Node.start("a", Files.createTempDirectory("seedtrace-node-a"), url, keyEncryptionKey);
    b = Node.start("b", Files.createTempDirectory("seedtrace-node-b"), url, keyEncryptionKey);
    Map<String, IGenericClient> clients = new HashMap<>();
    implant = new CustodyChainSteps(role -> clients.computeIfAbsent(role, a::fhir)).implantAndSeal(20, 18, 0);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Node node : new Node[] {a, b}) {
      if (node != null) {
        node.context().close();
      }
    }
    if (ehr != null) {
      ehr.close();
    }
    if (smart != null) {
      smart.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theHeartbeatRunsOnOneNodeOfTheClusterAndBothNodesAreHealthy() {
    Heartbeat ofA = a.context().getBean(Heartbeat.class);
    Heartbeat ofB = b.context().getBean(Heartbeat.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> ofA.beats() + ofB.beats() > 0);
    Node beating = ofA.beats() > 0 ? a : b;
    assertThat(List.of(ofA.beats(), ofB.beats())).as("one node beats, the other stands by").containsOnlyOnce(0L);
    ClusterLock lockOfA = a.context().getBean(ClusterLock.class);
    assertThat(lockOfA.holder(HeartbeatRoute.ROUTE_ID)).hasValueSatisfying(holder -> assertThat(holder.owner())
        .isEqualTo(beating.context().getBean(ClusterLock.class).owner()));
    for (Node node : new Node[] {a, b}) {
      assertThat(node.context().getBean("integrationHubHealthIndicator", HealthIndicator.class).health().getStatus())
          .as("hub health of node " + node.name()).isEqualTo(Status.UP);
    }
  }

  @Test
  void aTokenFromOneNodeIsAcceptedByTheOther() {
    assertThat(b.http().get("/fhir/Device?_count=1", a.token("nurse")).statusCode()).isEqualTo(200);
    assertThat(a.http().get("/fhir/Device?_count=1", b.token("nurse")).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientAssertionAcceptedByOneNodeIsRefusedWhenReplayedToTheOther() {
    // addressed to the cluster's issuer, which both nodes accept as the token endpoint
    String assertion = SmartBackendClient.sign(smart.ec, JWSAlgorithm.ES384,
        SmartBackendClient.claims("smart-inline", "https://seedtrace.cluster.test/oauth2/token").build());
    assertThat(SmartBackendClient.requestToken(a.base() + "/oauth2/token", assertion, "system/*.read", "127.0.9.1")
        .statusCode()).isEqualTo(200);
    HttpResponse<String> replay = SmartBackendClient.requestToken(b.base() + "/oauth2/token", assertion,
        "system/*.read", "127.0.9.1");
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("invalid_client");
  }

  @Test
  void aTraceKeySealedOnOneNodeOpensTheRecordOnTheOther() {
    HttpResponse<String> traced = trace(b, implant.traceKey(), null);
    assertThat(traced.statusCode()).as(traced.body()).isEqualTo(200);
    assertThat(traced.body()).contains("\"resourceType\": \"Bundle\"").contains("remainingCount");
  }

  @Test
  void aBulkExportKickedOffOnOneNodeIsFollowedAndDownloadedOnTheOther() {
    String admin = a.token("admin");
    String statusOnA = new BulkExportClient(a.base()).start("/fhir/$export?_type=Device", admin);
    assertThat(statusOnA).startsWith(a.base());
    BulkExportClient onB = new BulkExportClient(b.base());
    JsonNode manifest = onB.awaitManifest(b.base() + statusOnA.substring(a.base().length()), admin);
    assertThat(manifest.get("output").get(0).get("url").asText()).startsWith(b.base());
    List<String> devices = onB.download(manifest, admin).get("Device");
    String deviceId = implant.deviceId().substring(implant.deviceId().indexOf('/') + 1);
    assertThat(devices).isNotEmpty().anyMatch(line -> line.contains("\"id\":\"" + deviceId + "\""));
  }

  @Test
  void aNodeListedOnOneServerIsRefusedByTheOtherWithinASecond() {
    String wrongKey = TraceKey.generate(new SecureRandom()).toString();
    String admin = a.token("admin");
    String physicianOnB = b.token("physician");
    HttpResponse<String> listed = a.http().send("POST", "/fhir/$malicious-nodes", admin, JSON,
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"add\",\"valueString\":\"relay-7\"}]}");
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    long listedAt = System.nanoTime();
    try {
      // the very next request to B, sent well within a second of the listing, is refused
      Duration sentAfter = Duration.ofNanos(System.nanoTime() - listedAt);
      HttpResponse<String> refused = trace(b, wrongKey, "relay-7", physicianOnB);
      System.out.printf("CLUSTER listing on A refused by B: request sent %d ms after A's answer, refused %d ms after%n",
          sentAfter.toMillis(), Duration.ofNanos(System.nanoTime() - listedAt).toMillis());
      assertThat(sentAfter).isLessThan(Duration.ofSeconds(1));
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("MALICIOUS_HOP");
    } finally {
      b.http().send("POST", "/fhir/$malicious-nodes", b.token("admin"), JSON,
          "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"remove\",\"valueString\":\"relay-7\"}]}");
    }
  }

  @Test
  void aSlowEhrGetsEachMessageOnceInOrderPerPatient() {
    ehr.setDelay(Duration.ofSeconds(1)); // slower than the poll (100 ms), well within the timeout (10 s)
    try {
      EhrOutbox outboxOfA = a.context().getBean(EhrOutbox.class);
      List<String> queued = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String key = "CLUSTER-" + i;
        outboxOfA.enqueue("Patient/cluster-" + (i % 3), "cluster message " + i, key, FakeEhr.bundle(key));
        queued.add(key);
      }
      outboxOfA.kick(); // A sends at once, while B polls: the race of issue 14
      await().atMost(Duration.ofSeconds(60)).until(() -> delivered(queued) == queued.size());

      Map<String, Long> posts = ehr.attempts().stream().filter(p -> queued.contains(p.bundleId()))
          .collect(Collectors.groupingBy(FakeEhr.Attempt::bundleId, Collectors.counting()));
      assertThat(posts).hasSize(queued.size()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
      for (int patient = 0; patient < 3; patient++) {
        List<String> expected = List.of("CLUSTER-" + patient, "CLUSTER-" + (patient + 3));
        assertThat(ehr.attempts().stream().map(FakeEhr.Attempt::bundleId).filter(expected::contains).toList())
            .containsExactlyElementsOf(expected);
      }
      assertThat(ehr.attempts()).filteredOn(p -> queued.contains(p.bundleId()))
          .allSatisfy(p -> assertThat(p.idempotencyKey()).isEqualTo(p.bundleId()));
    } finally {
      ehr.setDelay(Duration.ZERO);
    }
  }

  @Test
  void twoTimesFiftyConcurrentWritesOnBothNodesLeaveTheAuditChainIntact() throws Exception {
    long before = entries(b);
    long creates = auditedCreates(b);
    long start = System.nanoTime();
    ExecutorService writers = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> writes = new ArrayList<>();
      for (Node node : List.of(a, b)) {
        String nurse = node.token("nurse");
        for (int i = 0; i < 50; i++) {
          writes.add(writers.submit(() -> node.http().send("POST", "/fhir/Device", nurse, JSON,
              "{\"resourceType\":\"Device\",\"status\":\"active\"}").statusCode()));
        }
      }
      for (Future<Integer> write : writes) {
        assertThat(write.get()).isEqualTo(201);
      }
    } finally {
      writers.shutdownNow();
    }
    // a write is audited in its own transaction; waiting costs nothing when all are there
    await().atMost(Duration.ofSeconds(60)).until(() -> auditedCreates(b) >= creates + 100);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertIntact(a);
    System.out.printf("CLUSTER 2x50 concurrent creates on two nodes, all audited: %d ms, %d chain entries added%n",
        took.toMillis(), entries(b) - before);
  }

  @Test
  void patientReadsOnBothNodesAmidWritesAreRecordedIntoOneIntactChain() throws Exception {
    String physician = a.token("physician");
    String patient = created(a.http().send("POST", "/fhir/Patient", physician, JSON,
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Cluster\"}]}"));
    String observation = created(a.http().send("POST", "/fhir/Observation", physician, JSON,
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
            + "\"subject\":{\"reference\":\"" + patient + "\"}}"));
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (Node node : List.of(a, b)) {
        String reader = node.token("physician");
        String nurse = node.token("nurse");
        calls.add(clients.submit(() -> repeat(30, () -> node.http().get("/fhir/" + observation, reader).statusCode())));
        calls.add(clients.submit(() -> repeat(30, () -> node.http().send("POST", "/fhir/Device", nurse, JSON,
            "{\"resourceType\":\"Device\",\"status\":\"active\"}").statusCode())));
      }
      for (Future<Integer> call : calls) {
        assertThat(call.get()).isEqualTo(30);
      }
    } finally {
      clients.shutdownNow();
    }
    String reads = "/fhir/AuditEvent?patient=" + patient + "&subtype=http://hl7.org/fhir/restful-interaction%7Cread&_count=100";
    await().atMost(Duration.ofSeconds(60)).until(() -> events(reads).size() >= 60);
    assertThat(events(reads)).hasSize(60).extracting(e -> e.getSource().getSite()).containsOnly("node-a", "node-b")
        .contains("node-a", "node-b");
    assertIntact(a);
  }

  /** Runs a call n times; the number of 2xx answers. */
  static int repeat(int n, java.util.function.IntSupplier call) {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      ok += call.getAsInt() / 100 == 2 ? 1 : 0;
    }
    return ok;
  }

  static List<AuditEvent> events(String search) {
    HttpResponse<String> found = b.http().get(search, b.token("auditor"));
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class, found.body()).getEntry().stream()
        .map(e -> (AuditEvent) e.getResource()).toList();
  }

  static String created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String location = response.headers().firstValue("Location").orElseThrow();
    return location.substring(location.indexOf("/fhir/") + "/fhir/".length()).replaceAll("/_history/.*", "");
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: on a chain it breaks (the old code's), the other checks would see its gap
  void aCrashBeforeTheChainsHeadMovesLeavesNoGap() {
    DataSource db = postgres.getPostgresDatabase();
    JdbcTemplate jdbc = new JdbcTemplate(db);
    AuditTrail auditOfA = a.context().getBean(AuditTrail.class);
    long before = steps(b, "crash");
    jdbc.execute("CREATE OR REPLACE FUNCTION st_test_crash() RETURNS trigger LANGUAGE plpgsql AS"
        + " $$ BEGIN RAISE EXCEPTION 'simulated crash before the audit head moved'; END $$");
    jdbc.execute("CREATE TRIGGER st_test_crash BEFORE UPDATE ON st_audit_head FOR EACH ROW"
        + " EXECUTE FUNCTION st_test_crash()");
    try {
      assertThatThrownBy(() -> auditOfA.record("crash-test", "", "crash", AuditEvent.AuditEventAction.E, "crash",
          AuditTrail.Outcome.SUCCESS, "lost in a crash")).hasStackTraceContaining("simulated crash");
    } finally {
      jdbc.execute("DROP TRIGGER st_test_crash ON st_audit_head");
    }
    b.context().getBean(AuditTrail.class).record("crash-test", "", "crash", AuditEvent.AuditEventAction.E, "crash",
        AuditTrail.Outcome.SUCCESS, "after the restart, on the other node");
    assertIntact(a);
    // counted by step: PHI access events of earlier requests may join the chain meanwhile
    assertThat(steps(b, "crash")).isEqualTo(before + 1);
  }

  // ------------------------------------------------------------------------------------------------

  static HttpResponse<String> trace(Node node, String key, String relay) {
    return trace(node, key, relay, node.token("physician"));
  }

  static HttpResponse<String> trace(Node node, String key, String relay, String token) {
    String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"traceKey\",\"valueString\":\"" + key
        + "\"}]}";
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base()
        + "/fhir/" + implant.deviceId() + "/$trace")).header("Authorization", "Bearer " + token)
        .header("Content-Type", JSON).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (relay != null) {
      request.header("X-SeedTrace-Node", relay);
    }
    try {
      return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int delivered(List<String> keys) {
    return new JdbcTemplate(postgres.getPostgresDatabase()).queryForObject("SELECT COUNT(*) FROM st_outbox"
        + " WHERE status = 'DELIVERED' AND message_key IN ('" + String.join("','", keys) + "')", Integer.class);
  }

  /** How many client creates the audit trail has recorded. */
  static long auditedCreates(Node node) {
    return steps(node, "create");
  }

  /** How many events of one custody step the audit trail holds. */
  static long steps(Node node, String step) {
    org.hl7.fhir.r4.model.Bundle count = node.fhir("auditor").search().forResource(AuditEvent.class)
        .where(AuditEvent.SUBTYPE.exactly().systemAndCode(AuditTrail.STEP_SYSTEM, step)).summaryMode(
            ca.uhn.fhir.rest.api.SummaryEnum.COUNT).returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute();
    return count.getTotal();
  }

  static org.hl7.fhir.r4.model.Parameters verifyChain(Node node) {
    return node.fhir("auditor").operation().onServer().named("$verify-audit-chain")
        .withNoParameters(org.hl7.fhir.r4.model.Parameters.class).useHttpGet().execute();
  }

  static long entries(Node node) {
    return Long.parseLong(verifyChain(node).getParameterValue("entries").primitiveValue());
  }

  static void assertIntact(Node node) {
    org.hl7.fhir.r4.model.Parameters check = verifyChain(node);
    assertThat(check.getParameterValue("intact").primitiveValue()).as(String.valueOf(check.getParameterValue(
        "reason"))).isEqualTo("true");
  }
}
