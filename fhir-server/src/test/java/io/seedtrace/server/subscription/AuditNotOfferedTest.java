package io.seedtrace.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class AuditNotOfferedTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private final AuditNotOffered hook = new AuditNotOffered(FHIR);

  private boolean offered(Resource stored, String id) {
    stored.setId(id);
    return hook.offered(new ResourceModifiedMessage(FHIR, stored, BaseResourceMessage.OperationTypeEnum.CREATE));
  }

  @Test
  void auditAndProvenanceRecordsAreNotOfferedAlarmsAre() {
    assertThat(offered(new AuditEvent(), "AuditEvent/1/_history/1")).isFalse();
    assertThat(offered(new Provenance(), "Provenance/2/_history/1")).isFalse();
    assertThat(offered(new DetectedIssue(), "DetectedIssue/3/_history/1")).isTrue();
  }
}
