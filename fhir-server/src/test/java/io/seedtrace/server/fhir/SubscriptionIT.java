package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An EHR subscribes to alarms (R4 rest-hook Subscription on {@code DetectedIssue?}) and a real HTTP
 * endpoint in the test receives the new DetectedIssue within 10 s (the latency is printed); what a non-admin may
 * subscribe to is limited (no Communication, nothing its roles cannot read).
 */
class SubscriptionIT extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer hook;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  @BeforeEach
  void startEndpoint() throws Exception {
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("X-Ehr-Key") + " " + body);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
  }

  @AfterEach
  void stopEndpoint() {
    hook.stop(0);
  }

  private String subscription(String criteria) {
    return "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"alarms for the EHR\","
        + "\"criteria\":\"" + criteria + "\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"http://127.0.0.1:"
        + hook.getAddress().getPort() + "/hook\",\"payload\":\"application/fhir+json\",\"header\":[\"X-Ehr-Key: k1\"]}}";
  }

  @Test
  void anEhrIsToldOfANewAlarmWithinSeconds() throws Exception {
    Http http = new Http(baseUrl());
    String ehr = tokens().forRole("ehr-system");
    String admin = tokens().forRole("admin");
    HttpResponse<String> created = http.send("POST", "/fhir/Subscription", ehr, "application/fhir+json",
        subscription("DetectedIssue?code=https://seedtrace.io/fhir/CodeSystem/seedtrace|count-mismatch"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asText();
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      String status = "";
      while (System.currentTimeMillis() < deadline && !status.equals("active")) {
        status = JSON.readTree(http.get("/fhir/Subscription/" + id, admin).body()).path("status").asText();
        Thread.sleep(200);
      }
      assertThat(status).isEqualTo("active");

      String alarm = "{\"resourceType\":\"DetectedIssue\",\"status\":\"final\",\"severity\":\"high\","
          + "\"code\":{\"coding\":[{\"system\":\"https://seedtrace.io/fhir/CodeSystem/seedtrace\",\"code\":\"count-mismatch\"}]},"
          + "\"detail\":\"subscription test alarm\"}";
      long sent = System.nanoTime();
      HttpResponse<String> issue = http.send("POST", "/fhir/DetectedIssue", tokens().forRole("physician"),
          "application/fhir+json", alarm);
      assertThat(issue.statusCode()).as(issue.body()).isEqualTo(201);
      String issueId = JSON.readTree(issue.body()).get("id").asText();
      String notification = received.poll(10, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(notification).as("notification within 10 s").isNotNull();
      assertThat(notification).contains("/hook/DetectedIssue/" + issueId).contains(" k1 ").contains("subscription test alarm");
      System.out.println("subscription notification after " + millis + " ms");
    } finally {
      http.send("DELETE", "/fhir/Subscription/" + id, admin, null, null);
    }
  }

  @Test
  void whatANonAdminMaySubscribeToIsLimited() {
    Http http = new Http(baseUrl());
    String ehr = tokens().forRole("ehr-system");
    assertThat(http.send("POST", "/fhir/Subscription", ehr, "application/fhir+json", subscription("Communication?"))
        .statusCode()).as("Communication holds the administrator's restricted messages").isEqualTo(403);
    assertThat(http.send("POST", "/fhir/Subscription", ehr, "application/fhir+json", subscription("AuditEvent?"))
        .statusCode()).isEqualTo(403);
    assertThat(http.send("POST", "/fhir/Subscription", tokens().forRole("nurse"), "application/fhir+json",
        subscription("DetectedIssue?")).statusCode()).as("nurse is no subscriber").isEqualTo(403);
    assertThat(http.get("/fhir/Subscription", ehr).statusCode()).as("others' endpoint headers stay hidden").isEqualTo(403);
  }
}
