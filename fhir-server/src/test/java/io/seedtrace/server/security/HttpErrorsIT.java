package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Bad input gets a 4xx with an OperationOutcome, never a 500 with the server's internals (SQL,
 * exception classes, product and version); bodies over the limit get 413; a refusal is logged once
 * at WARN with the rule that refused.
 */
class HttpErrorsIT extends ServerTestBase {

  private static final int LIMIT = 10 * 1024 * 1024;
  private Http http;

  @BeforeEach
  void client() {
    http = new Http(baseUrl());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/fhir/Patient;jsessionid=x",
      "/fhir/Patient/%6A",
      "/fhir/%6Aunk",
      "/fhir/Patient/../Device",
      "/fhir/Patient/%2e%2e/Device",
      "/fhir/Patient/..%2FDevice",
      "/fhir/..;/actuator/env",
      "/actuator/..;/fhir/Patient",
      "/fhir/Patient/%00",
  })
  void oddPathsGetAClientErrorWithAnOperationOutcome(String path) {
    HttpResponse<String> response = http.get(path, tokens().forRole("admin"));
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    assertIsOperationOutcome(response);
  }

  @Test
  void aMaliciousNodeEntryTooLongForTheLibraryIsABadRequestWithoutSql() {
    HttpResponse<String> response = http.send("POST", "/fhir/$malicious-nodes", tokens().forRole("admin"),
        "application/fhir+json", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"add\",\"valueString\":\""
            + "a".repeat(200) + "\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertIsOperationOutcome(response);
    assertThat(response.body()).doesNotContainIgnoringCase("sql").doesNotContain("INSERT").contains("128");
  }

  @ParameterizedTest(name = "count={0}")
  @ValueSource(strings = {"-5", "abc"})
  void aVerificationListWithAnImpossibleCountIsABadRequest(String count) {
    HttpResponse<String> response = http.get("/fhir/$verifications?count=" + count, tokens().forRole("auditor"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertIsOperationOutcome(response);
    assertThat(response.body()).doesNotContain("java.").doesNotContain("Exception");
  }

  @Test
  void noResponseNamesTheProductAndVersion() {
    String nurse = tokens().forRole("nurse");
    for (HttpResponse<String> response : Arrays.asList(http.get("/fhir/metadata", null), http.get("/fhir/Device", nurse),
        http.get("/fhir/Device/does-not-exist", nurse), http.get("/fhir/Patient;x", nurse))) {
      assertThat(response.headers().firstValue("X-Powered-By")).as(response.uri().toString()).isEmpty();
      assertThat(response.headers().firstValue("Server")).as(response.uri().toString()).isEmpty();
    }
  }

  @Test
  void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsSent() throws IOException {
    String response = rawRequest("Content-Length: " + (LIMIT + 1), new byte[0]);
    assertThat(response).startsWith("HTTP/1.1 413").contains("OperationOutcome");
  }

  @Test
  void aChunkedBodyLargerThanTheLimitIsRefused() throws IOException {
    int chunk = 1024 * 1024;
    byte[] data = new byte[chunk];
    Arrays.fill(data, (byte) ' ');
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (int sent = 0; sent <= LIMIT; sent += chunk) {
      body.write((Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      body.write(data);
      body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    String response = rawRequest("Transfer-Encoding: chunked", body.toByteArray());
    assertThat(response).startsWith("HTTP/1.1 413").contains("OperationOutcome");
  }

  @Test
  void aBodyWithinTheLimitIsStored() {
    String padding = " ".repeat(LIMIT / 2);
    HttpResponse<String> response = http.send("POST", "/fhir/Device", tokens().forRole("nurse"), "application/fhir+json",
        "{\"resourceType\":\"Device\",\"lotNumber\":\"LOT-BIG\"" + padding + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aRefusalIsLoggedAtWarnWithTheRuleNotAtError(CapturedOutput output) {
    HttpResponse<String> refused = http.get("/fhir/Patient", tokens().forRole("logistics"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(output.getAll().lines().filter(l -> l.contains("not permitted for roles [LOGISTICS]")))
        .anyMatch(l -> atLevel(l, "WARN") && l.contains("403 GET /fhir/Patient"))
        .noneMatch(l -> atLevel(l, "ERROR"));
  }

  /** A console line at that level, in the text layout or in ECS JSON (the prod profile's). */
  private static boolean atLevel(String line, String level) {
    return line.contains(" " + level + " ") || line.contains("\"level\":\"" + level + "\"");
  }

  /** Sends a POST with the given framing header and raw body bytes, then reads the answer. */
  private String rawRequest(String framing, byte[] body) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /fhir/Device HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + tokens().forRole("nurse")
          + "\r\nContent-Type: application/fhir+json\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(body);
        out.flush();
      } catch (IOException closedEarly) {
        // the server may answer and close before the whole body is sent; its answer is still there
      }
      return readAnswer(socket.getInputStream());
    }
  }

  /** The status line, headers and Content-Length bytes of body (the server keeps the connection open). */
  private static String readAnswer(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
    byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
    return headers + new String(body, StandardCharsets.UTF_8);
  }

  private static void assertIsOperationOutcome(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
    OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
  }
}
