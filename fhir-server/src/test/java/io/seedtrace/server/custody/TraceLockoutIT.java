package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.seedtrace.core.sealing.TraceKey;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.HttpFrom;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 3: wrong trace keys lock out only who sent them. Failures are counted per
 * client and per originating address (resolved through the trusted proxy, here the tests' own
 * 127.0.0.1); an automatic listing quarantines and never destroys a valid key; a key is rotated only
 * after an administrator confirms. Real server, real tokens, real HTTP.
 */
class TraceLockoutIT extends ServerTestBase {

  private static final String KEY_REFUSED = "does not open a sealing record";
  private static final String QUARANTINED = "quarantined after repeated failures";
  private static final String MALICIOUS_HOP = "listed as malicious";

  private final Map<String, IGenericClient> clients = new HashMap<>();

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  private CustodyChainSteps.Implant sealed() throws Exception {
    return new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
  }

  private static String wrongKey() {
    return TraceKey.generate(new SecureRandom()).toString();
  }

  private static Map<String, String> from(String address) {
    return Map.of("X-Forwarded-For", address);
  }

  private String refusal(String role, String device, String key, Map<String, String> headers) {
    try {
      CustodyChainIT.trace(as(role), device, key, Optional.empty(), headers);
    } catch (ForbiddenOperationException e) {
      return CustodyChainIT.diagnostics(e);
    }
    throw new AssertionError("the trace by " + role + " was not refused");
  }

  private Bundle traced(String role, String device, String key, Map<String, String> headers) {
    return CustodyChainIT.trace(as(role), device, key, Optional.empty(), headers);
  }

  private Map<String, String> library() {
    Parameters answer = as("admin").operation().onServer().named("$malicious-nodes")
        .withNoParameters(Parameters.class).execute();
    Map<String, String> listings = new LinkedHashMap<>();
    answer.getParameter().forEach(node -> listings.put(
        node.getPart().stream().filter(p -> p.getName().equals("entry")).findFirst().orElseThrow().getValue()
            .primitiveValue(),
        node.getPart().stream().filter(p -> p.getName().equals("listing")).findFirst().orElseThrow().getValue()
            .primitiveValue()));
    return listings;
  }

  private void release(String... entries) {
    for (String entry : entries) {
      as("admin").operation().onServer().named("$malicious-nodes")
          .withParameter(Parameters.class, "remove", new StringType(entry)).execute();
    }
  }

  @Test
  void wrongKeysQuarantineTheirClientOnlyAndAValidKeyIsNeverDestroyed() throws Exception {
    CustodyChainSteps.Implant s = sealed();
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(refusal("nurse", s.deviceId(), wrongKey(), from("203.0.113.7"))).contains(KEY_REFUSED);
      }
      // the nurse client is quarantined, even with the valid key, and the key is left as it was
      assertThat(refusal("nurse", s.deviceId(), s.traceKey(), from("203.0.113.7"))).contains(QUARANTINED);
      // another client at the same address, and anybody behind the same proxy, traces as before
      assertThat(traced("physician", s.deviceId(), s.traceKey(), from("203.0.113.7")).getEntry()).isNotEmpty();
      assertThat(traced("physician", s.deviceId(), s.traceKey(), Map.of()).getEntry()).isNotEmpty();
      assertThat(library()).containsEntry("client:nurse-cli", "quarantined")
          .doesNotContainKeys("127.0.0.1", "203.0.113.7");
      assertThatThrownBy(() -> CustodyChainIT.collectRotatedKey(as("admin"), s.deviceId()))
          .as("no key was rotated").isInstanceOf(ResourceNotFoundException.class);
      assertThat(adminMessages("trace-caller-quarantined")).anyMatch(t -> t.contains("client:nurse-cli")
          && t.contains(s.deviceId()) && t.contains("no trace key was rotated"));
      // released by the administrator, the nurse traces again
      release("client:nurse-cli");
      assertThat(traced("nurse", s.deviceId(), s.traceKey(), from("203.0.113.7")).getEntry()).isNotEmpty();
    } finally {
      release("client:nurse-cli", "203.0.113.7");
    }
  }

  @Test
  void aValidKeyIsRotatedOnlyAfterAnAdministratorConfirmsTheQuarantine() throws Exception {
    CustodyChainSteps.Implant s = sealed();
    try {
      for (int i = 0; i < 5; i++) {
        refusal("nurse", s.deviceId(), wrongKey(), from("203.0.113.20"));
      }
      assertThat(refusal("nurse", s.deviceId(), s.traceKey(), from("203.0.113.20"))).contains(QUARANTINED);
      assertThat(traced("physician", s.deviceId(), s.traceKey(), Map.of()).getEntry()).as("key intact").isNotEmpty();
      // the administrator confirms (entries are compared without regard to case)
      as("admin").operation().onServer().named("$malicious-nodes")
          .withParameter(Parameters.class, "add", new StringType("CLIENT:Nurse-CLI")).execute();
      assertThat(library()).containsEntry("client:nurse-cli", "confirmed");
      assertThat(refusal("nurse", s.deviceId(), s.traceKey(), from("203.0.113.20"))).contains(MALICIOUS_HOP);
      assertThat(refusal("physician", s.deviceId(), s.traceKey(), Map.of())).as("the old key is dead")
          .contains(KEY_REFUSED);
      String fresh = CustodyChainIT.collectRotatedKey(as("admin"), s.deviceId());
      assertThat(traced("physician", s.deviceId(), fresh, Map.of()).getEntry()).isNotEmpty();
    } finally {
      release("client:nurse-cli", "client:physician-cli", "127.0.0.1", "203.0.113.20");
    }
  }

  @Test
  void failuresFromOneAddressQuarantineThatAddressForEveryClientButRotateNothing() throws Exception {
    CustodyChainSteps.Implant s = sealed();
    try {
      for (String role : List.of("physician", "auditor", "admin")) {
        for (int i = 0; i < (role.equals("admin") ? 2 : 4); i++) {
          refusal(role, s.deviceId(), wrongKey(), from("198.51.100.9"));
        }
      }
      assertThat(library()).containsEntry("198.51.100.9", "quarantined").doesNotContainKey("client:physician-cli");
      assertThat(refusal("nurse", s.deviceId(), s.traceKey(), from("198.51.100.9"))).contains(QUARANTINED);
      assertThat(traced("nurse", s.deviceId(), s.traceKey(), from("198.51.100.10")).getEntry()).isNotEmpty();
    } finally {
      release("198.51.100.9", "client:physician-cli", "client:auditor-cli", "client:admin-cli");
    }
  }

  @Test
  void forwardingHeadersCountOnlyFromATrustedProxyAndNodeIdsIgnoreCase() throws Exception {
    CustodyChainSteps.Implant s = sealed();
    as("admin").operation().onServer().named("$malicious-nodes")
        .withParameter(Parameters.class, "add", new StringType("192.0.2.77"))
        .andParameter("reason", new StringType("test")).execute();
    as("admin").operation().onServer().named("$malicious-nodes")
        .withParameter(Parameters.class, "add", new StringType("Relay-Ward-9")).execute();
    try {
      // 127.0.0.2 is no trusted proxy: what it says about earlier hops is not believed
      HttpFrom.Answer untrusted = new HttpFrom("127.0.0.2").send("POST",
          baseUrl() + "/fhir/" + s.deviceId() + "/$trace",
          Map.of("Authorization", "Bearer " + tokens().forRole("physician"), "X-Forwarded-For", "192.0.2.77"),
          "application/fhir+json", traceBody(wrongKey()));
      assertThat(untrusted.status()).isEqualTo(403);
      assertThat(untrusted.body()).contains(KEY_REFUSED).doesNotContain("192.0.2.77");
      // through the trusted proxy the same header is believed
      assertThat(refusal("physician", s.deviceId(), wrongKey(), from("192.0.2.77"))).contains(MALICIOUS_HOP);
      // relay node ids are compared without regard to case
      assertThat(refusal("physician", s.deviceId(), wrongKey(), Map.of(Caller.NODE_ID_HEADER, "relay-ward-9")))
          .contains(MALICIOUS_HOP);
    } finally {
      release("192.0.2.77", "relay-ward-9", "127.0.0.2", "client:physician-cli");
    }
  }

  @Test
  void withoutTheKeyASealedDeviceLooksLikeAnUnsealedOrUnknownOne() throws Exception {
    CustodyChainSteps.Implant s = sealed();
    Device plain = new Device();
    plain.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    String unsealed = "Device/" + as("nurse").create().resource(plain).execute().getId().getIdPart();
    String key = wrongKey();
    try {
      Http http = new Http(baseUrl());
      String token = tokens().forRole("auditor");
      List<HttpResponse<String>> answers = List.of(s.deviceId(), unsealed, "Device/987654321").stream()
          .map(device -> http.send("POST", "/fhir/" + device + "/$trace", token,
              "application/fhir+json", traceBody(key)))
          .toList();
      assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(403);
      assertThat(answers).extracting(HttpResponse::body).as("the same answer for all three").hasSize(3)
          .allMatch(b -> b.equals(answers.get(0).body()));
    } finally {
      release("client:auditor-cli", "127.0.0.1");
    }
  }

  private static String traceBody(String key) {
    return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"traceKey\",\"valueString\":\"" + key + "\"}]}";
  }

  private List<String> adminMessages(String topic) {
    Bundle messages = as("admin").search().forResource(Communication.class)
        .where(Communication.CATEGORY.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace", topic))
        .returnBundle(Bundle.class).execute();
    return messages.getEntry().stream()
        .map(e -> ((Communication) e.getResource()).getPayloadFirstRep().getContentStringType().getValue()).toList();
  }
}
