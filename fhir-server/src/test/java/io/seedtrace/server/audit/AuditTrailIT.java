package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.StoredResources;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.h2.api.Trigger;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail of issue 13 finding 7 and issue 14, over real HTTP with real tokens on the H2
 * server: AuditEvent and Provenance are append-only even for an admin; every delete is audited; a
 * Provenance deleted or edited in the database, an AuditEvent edited in any field (the peer address
 * too) or slipped in beside the chain, are all found by {@code $verify-audit-chain}; concurrent
 * writers do not fork the chain, and a crash before the head moves leaves no gap.
 */
class AuditTrailIT extends ServerTestBase {

  static final String JSON = "application/fhir+json";

  @Autowired
  DataSource dataSource;

  @Autowired
  AuditTrail audit;

  @Autowired
  ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;

  Http http() {
    return new Http(baseUrl());
  }

  @Test
  void noOneMayChangeOrDeleteAnAuditEventOrAProvenanceNorWriteAnAuditEvent() {
    String admin = tokens().forRole("admin");
    String device = created(http().send("POST", "/fhir/Device", admin, JSON, "{\"resourceType\":\"Device\",\"status\":\"active\"}"));
    String event = newest(AuditEvent.class, admin);
    String provenance = newest(Provenance.class, admin);
    for (String id : List.of(event, provenance)) {
      String stored = http().get("/fhir/" + id, admin).body();
      assertRefused(http().send("PUT", "/fhir/" + id, admin, JSON, stored), 405);
      assertRefused(http().send("PATCH", "/fhir/" + id, admin, "application/json-patch+json",
          "[{\"op\":\"replace\",\"path\":\"/recorded\",\"value\":\"2020-01-01T00:00:00Z\"}]"), 405);
      assertRefused(http().send("DELETE", "/fhir/" + id, admin, null, null), 405);
      assertRefused(http().send("POST", "/fhir", admin, JSON, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
          + "\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"" + id + "\"}}]}"), 405);
    }
    assertRefused(http().send("POST", "/fhir/AuditEvent", admin, JSON, "{\"resourceType\":\"AuditEvent\","
        + "\"type\":{\"code\":\"rest\"},\"recorded\":\"2026-01-01T00:00:00Z\",\"agent\":[{\"requestor\":true}],"
        + "\"source\":{\"observer\":{\"display\":\"forger\"}}}"), 403);
    assertThat(http().get("/fhir/" + device, admin).statusCode()).isEqualTo(200);
    assertIntact();
  }

  @Test
  void everyDeleteIsAuditedInTheChain() {
    String admin = tokens().forRole("admin");
    String device = created(http().send("POST", "/fhir/Device", admin, JSON, "{\"resourceType\":\"Device\",\"status\":\"active\"}"));
    assertThat(http().send("DELETE", "/fhir/" + device, admin, null, null).statusCode()).isEqualTo(200);

    Bundle deletes = fhirAs("auditor").search().forResource(AuditEvent.class).where(AuditEvent.SUBTYPE.exactly()
        .systemAndCode(AuditTrail.STEP_SYSTEM, "delete")).count(200).returnBundle(Bundle.class).execute();
    assertThat(deletes.getEntry()).map(e -> (AuditEvent) e.getResource())
        .filteredOn(e -> device.equals(e.getEntityFirstRep().getName())).singleElement().satisfies(e -> {
          assertThat(e.getAction()).isEqualTo(AuditEvent.AuditEventAction.D);
          assertThat(e.getAgentFirstRep().getWho().getDisplay()).isEqualTo("admin-cli");
          assertThat(AuditTrail.toEntry(e)).as("in the chain").isPresent();
        });
    assertIntact();
  }

  @Test
  void anAuditEventEditedInAnyFieldOrSlippedInBesideTheChainIsFound() {
    String admin = tokens().forRole("admin");
    created(http().send("POST", "/fhir/Device", admin, JSON, "{\"resourceType\":\"Device\",\"status\":\"active\"}"));
    String event = newestWhere(AuditEvent.class, admin, "subtype=" + AuditTrail.STEP_SYSTEM + "%7Ccreate");
    StoredResources database = new StoredResources(dataSource);
    String original = database.json(event);
    assertThat(original).contains("\"address\":\"127.0.0.1\"");
    try {
      database.edit(event, json -> json.replace("\"address\":\"127.0.0.1\"", "\"address\":\"10.9.9.9\""));
      assertBroken("content was altered");
    } finally {
      database.edit(event, json -> original);
    }
    assertIntact();

    AuditEvent forged = (AuditEvent) fhirAs("admin").read().resource(AuditEvent.class).withUrl(event).execute();
    forged.setId((String) null);
    forged.getEntityFirstRep().getDetail().clear();
    String slipped = daos.getResourceDao(AuditEvent.class).create(forged, new ca.uhn.fhir.rest.api.server
        .SystemRequestDetails()).getId().toUnqualifiedVersionless().getValue();
    try {
      assertBroken(slipped + " carries no chain link");
    } finally {
      database.hide(slipped, true);
    }
    assertIntact();
  }

  @Test
  void aProvenanceEditedOrDeletedInTheDatabaseIsFound() {
    String admin = tokens().forRole("admin");
    created(http().send("POST", "/fhir/Device", admin, JSON, "{\"resourceType\":\"Device\",\"status\":\"active\"}"));
    String provenance = newest(Provenance.class, admin);
    StoredResources database = new StoredResources(dataSource);
    String original = database.json(provenance);
    try {
      database.edit(provenance, json -> json.replace("\"admin-cli\"", "\"nurse-cli\""));
      assertBroken(provenance + ", recorded in entry");
      assertBroken("was altered");
    } finally {
      database.edit(provenance, json -> original);
    }
    assertIntact();
    try {
      database.hide(provenance, true);
      assertBroken(provenance + ", recorded in entry");
      assertBroken("was deleted");
    } finally {
      database.hide(provenance, false);
    }
    assertIntact();
  }

  @Test
  void twoWritersAtOnceDoNotForkTheChain() throws Exception {
    long before = auditedCreates();
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        String token = tokens().forRole("nurse");
        done.add(writers.submit(() -> {
          for (int i = 0; i < 50; i++) {
            created(http().send("POST", "/fhir/Device", token, JSON, "{\"resourceType\":\"Device\",\"status\":\"active\"}"));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdownNow();
    }
    // a write is audited in its own transaction, so this finds all at once
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> auditedCreates() >= before + 100);
    assertIntact();
  }

  /** The database refuses to move the head: as a crash after the AuditEvent's insert, before the head's update. */
  public static final class CrashBeforeTheHeadMoves implements Trigger {
    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
      throw new SQLException("simulated crash before the audit head moved");
    }
  }

  @Test
  void aCrashBeforeTheHeadMovesLeavesNoEventAndNoGap() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    long before = crashSteps();
    jdbc.execute("CREATE TRIGGER st_test_crash BEFORE UPDATE ON st_audit_head FOR EACH ROW CALL '"
        + CrashBeforeTheHeadMoves.class.getName() + "'");
    try {
      assertThatThrownBy(() -> audit.record("crash-test", "", "crash", AuditEvent.AuditEventAction.E, "crash",
          AuditTrail.Outcome.SUCCESS, "lost in a crash")).hasStackTraceContaining("simulated crash");
    } finally {
      jdbc.execute("DROP TRIGGER st_test_crash");
    }
    audit.record("crash-test", "", "crash", AuditEvent.AuditEventAction.E, "crash", AuditTrail.Outcome.SUCCESS,
        "after the restart");
    assertIntact();
    // counted by step: PHI access events of earlier requests may join the chain meanwhile
    assertThat(crashSteps()).isEqualTo(before + 1);
  }

  @Test
  void aClientCreateCommitsWithItsAuditOrNotAtAll() {
    String nurse = tokens().forRole("nurse");
    String marker = "commit-together-" + System.nanoTime();
    String device = "{\"resourceType\":\"Device\",\"status\":\"active\",\"identifier\":[{\"system\":"
        + "\"urn:test\",\"value\":\"" + marker + "\"}]}";
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TRIGGER st_test_crash BEFORE UPDATE ON st_audit_head FOR EACH ROW CALL '"
        + CrashBeforeTheHeadMoves.class.getName() + "'");
    try {
      assertThat(http().send("POST", "/fhir/Device", nurse, JSON, device).statusCode())
          .as("the audit cannot be appended, so the create fails").isGreaterThanOrEqualTo(500);
    } finally {
      jdbc.execute("DROP TRIGGER st_test_crash");
    }
    String search = "/fhir/Device?identifier=urn:test%7C" + marker + "&_summary=count";
    assertThat(http().get(search, nurse).body()).as("no Device kept without its audit").containsPattern(total(0));

    String id = created(http().send("POST", "/fhir/Device", nurse, JSON, device));
    // no waiting: the audit committed with the Device, before the answer was sent
    String auditor = tokens().forRole("auditor");
    String creates = "&subtype=" + AuditTrail.STEP_SYSTEM + "%7Ccreate&_summary=count";
    assertThat(http().get("/fhir/AuditEvent?entity=" + id + creates, auditor).body()).containsPattern(total(1));
    assertThat(http().get("/fhir/Provenance?target=" + id + "&_summary=count", auditor).body()).containsPattern(total(1));
    assertIntact();
  }

  // ------------------------------------------------------------------------------------------------

  Parameters verifyChain() {
    return fhirAs("auditor").operation().onServer().named("$verify-audit-chain").withNoParameters(Parameters.class)
        .useHttpGet().execute();
  }

  long auditedCreates() {
    return fhirAs("auditor").search().forResource(AuditEvent.class).where(AuditEvent.SUBTYPE.exactly()
        .systemAndCode(AuditTrail.STEP_SYSTEM, "create")).summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
        .returnBundle(Bundle.class).execute().getTotal();
  }

  long crashSteps() {
    return fhirAs("auditor").search().forResource(AuditEvent.class).where(AuditEvent.SUBTYPE.exactly()
        .systemAndCode(AuditTrail.STEP_SYSTEM, "crash")).summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
        .returnBundle(Bundle.class).execute().getTotal();
  }

  static String total(int count) {
    return "\"total\"\\s*:\\s*" + count + "\\b";
  }

  void assertIntact() {
    Parameters check = verifyChain();
    assertThat(check.getParameterValue("intact").primitiveValue()).as(String.valueOf(check.getParameterValue("reason")))
        .isEqualTo("true");
  }

  void assertBroken(String reason) {
    Parameters check = verifyChain();
    assertThat(check.getParameterValue("intact").primitiveValue()).isEqualTo("false");
    assertThat(check.getParameterValue("reason").primitiveValue()).contains(reason);
  }

  static void assertRefused(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("OperationOutcome");
  }

  static String created(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    String location = response.headers().firstValue("Location").orElseThrow();
    String path = location.substring(location.indexOf("/fhir/") + "/fhir/".length());
    return path.replaceAll("/_history/.*", "");
  }

  String newest(Class<? extends org.hl7.fhir.r4.model.Resource> type, String token) {
    return newestWhere(type, token, null);
  }

  String newestWhere(Class<? extends org.hl7.fhir.r4.model.Resource> type, String token, String query) {
    String name = type.getSimpleName();
    String body = http().get("/fhir/" + name + "?_sort=-_lastUpdated&_count=1" + (query == null ? "" : "&" + query),
        token).body();
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, body);
    return name + "/" + bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }
}
