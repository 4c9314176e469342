package io.seedtrace.server.console.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.gclient.TokenClientParam;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 16's operations page over real HTTP: an administrator sees the DICOM node, its peers and
 * the association of a series sent over DICOM in the test,
 * the series received, the EHR outbox with a dead letter made in the test (a message the EHR
 * refuses for good), replays it with the button (audited, attempted again), and checks the audit
 * chain; a nurse gets neither the page nor the replay.
 */
class OperationsPageIT extends ServerTestBase {

  @Autowired
  EhrOutbox outbox;

  @Autowired
  DicomNodeService dicom;

  @Test
  void anAdministratorSeesTheLastAssociationReplaysADeadLetterAndChecksTheAuditChainAndANurseCannot() throws Exception {
    CtSeries series = new CtSeries("OPS-" + System.nanoTime(), "ACC-OPS", "20261201");
    CtSeries.send(dicom.port(), series.files(PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE,
        128, 128, 50, 0.7, 1.5, 3, 0, 0, 0, false, false, 15, 7)).scan()));
    await().atMost(Duration.ofSeconds(30)).until(() -> dicom.recentAssociations().stream()
        .anyMatch(a -> a.instances() == 50 && a.ended() != null));
    long id = outbox.enqueue("Patient/ops", "operations page test", "ops-" + System.nanoTime(), "not a bundle");
    outbox.kick();
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.undelivered().stream()
        .anyMatch(m -> m.id() == id && m.status().equals("DEAD")));

    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    nurse.signIn("nurse", "nurse");
    assertThat(nurse.get("/").body()).doesNotContain("/console/operations");
    ConsoleBrowser.Page refused = nurse.get("/console/operations");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("Only the role admin may open the operations page");
    assertThat(nurse.post("/console/operations/outbox/" + id + "/replay",
        Map.of("_csrf", ConsoleBrowser.csrf(nurse.get("/"))), Map.of()).status()).isEqualTo(403);

    ConsoleBrowser admin = new ConsoleBrowser(baseUrl());
    admin.signIn("admin", "admin");
    assertThat(admin.get("/").body()).contains("href=\"/console/operations\"");
    ConsoleBrowser.Page page = admin.get("/console/operations");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).containsPattern("<td>PACS</td>\\s*<td>[^<]*127\\.0\\.0\\.1[^<]*</td>\\s*<td class=\"num\">50</td>"
        + "\\s*<td>released at ");
    assertThat(page.body()).contains("id=\"dicom\"", "id=\"peers-ae\"", "id=\"series\"", "id=\"outbox-counts\"",
        "operations page test", "id=\"replay-" + id + "\"", "id=\"nodes", "id=\"check-audit-chain\"");

    int attemptsBefore = EHR.attempts().size();
    String csrf = ConsoleBrowser.csrf(page);
    ConsoleBrowser.Page replayed = admin.post("/console/operations/outbox/" + id + "/replay", Map.of("_csrf", csrf),
        Map.of());
    assertThat(replayed.status()).isEqualTo(302);
    assertThat(admin.follow(replayed).body()).contains("Message " + id + " is back in the EHR outbox");
    await().atMost(Duration.ofSeconds(30)).until(() -> EHR.attempts().size() > attemptsBefore);
    assertThat(auditEvents("ehr-replay")).anyMatch(e -> e.getEntityFirstRep().getName().equals("outbox message " + id));
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.undelivered().stream()
        .anyMatch(m -> m.id() == id && m.status().equals("DEAD")));
    assertThat(admin.post("/console/operations/outbox/999999999/replay", Map.of("_csrf", csrf), Map.of()).status())
        .as("not a dead letter").isEqualTo(409);

    ConsoleBrowser.Page checked = admin.post("/console/operations/audit-chain", Map.of("_csrf", csrf), Map.of());
    assertThat(checked.status()).isEqualTo(200);
    assertThat(checked.body()).containsPattern("The audit chain is intact: \\d+ entries checked.");
  }

  private java.util.List<AuditEvent> auditEvents(String step) {
    return fhirAs("admin").search().forResource(AuditEvent.class)
        .where(new TokenClientParam("subtype").exactly().systemAndCode(AuditTrail.STEP_SYSTEM, step))
        .count(200).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
  }
}
