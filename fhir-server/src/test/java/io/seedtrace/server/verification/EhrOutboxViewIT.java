package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The administrator looks at the EHR outbox with a plain {@code GET /fhir/$ehr-outbox}, as the docs
 * say; replaying a dead letter changes state and stays a {@code POST}.
 */
class EhrOutboxViewIT extends ServerTestBase {

  private Http http;

  @BeforeEach
  void http() {
    http = new Http(baseUrl());
  }

  @Test
  void theAdministratorReadsTheOutboxCountsWithGet() {
    HttpResponse<String> response = http.get("/fhir/$ehr-outbox", tokens().forRole("admin"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Parameters outbox = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
    assertThat(outbox.getParameter()).extracting(Parameters.ParametersParameterComponent::getName)
        .contains("pending", "dead", "delivered");
  }

  @Test
  void aReplayByGetIsRefusedAndPointsToPost() {
    HttpResponse<String> response = http.get("/fhir/$ehr-outbox?replay=1", tokens().forRole("admin"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("OperationOutcome").contains("POST");
  }

  @Test
  void aReplayOfAnUnknownDeadLetterByPostIsNotFound() {
    HttpResponse<String> response = http.send("POST", "/fhir/$ehr-outbox", tokens().forRole("admin"),
        "application/fhir+json",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"replay\",\"valueInteger\":999999}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
  }

  @Test
  void otherRolesMayNotReadTheOutbox() {
    HttpResponse<String> response = http.get("/fhir/$ehr-outbox", tokens().forRole("physicist"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
  }
}
