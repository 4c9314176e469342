package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code seedtrace.audit.phi-access.enabled=false} reads and searches leave no BALP AuditEvent. */
class PhiAccessAuditOffIT extends ServerTestBase {

  @DynamicPropertySource
  static void auditOff(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.audit.phi-access.enabled", () -> "false");
    ownDatabaseAndSpool(registry, "seedtrace-phi-off-it");
  }

  @Autowired
  ApplicationContext context;

  @Test
  void withTheAuditOffReadsAndSearchesLeaveNoAccessEvent() {
    assertThat(context.getBeansOfType(AuditBatchWriter.class)).as("no writer, no capture").isEmpty();
    Http http = new Http(baseUrl());
    String physician = tokens().forRole("physician");
    String[] created = PhiAccessAuditIT.patientWithObservation(http, physician, "Unaudited");
    String patient = created[0];
    String observation = created[1];
    assertThat(http.get("/fhir/" + observation, physician).statusCode()).isEqualTo(200);
    assertThat(http.get("/fhir/Observation?subject=" + patient, physician).statusCode()).isEqualTo(200);
    assertThat(http.get("/fhir/" + patient, physician).statusCode()).isEqualTo(200);

    HttpResponse<String> audit = http.get("/fhir/AuditEvent?_count=500", tokens().forRole("auditor"));
    Bundle events = FHIR.newJsonParser().parseResource(Bundle.class, audit.body());
    assertThat(events.getEntry()).as("the writes are in the chain").isNotEmpty();
    assertThat(events.getEntry()).map(e -> ((AuditEvent) e.getResource()).getSubtypeFirstRep().getSystem())
        .doesNotContain(PhiAccessAuditIT.INTERACTION);
  }
}
