package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.fhir.ProfileValidationInterceptor;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.MissingSeedVerification;
import io.seedtrace.server.support.ServerTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * docs/workflow.md is enough to drive the chain: its examples parse and conform to the profiles
 * they claim, and its calls, run in the document's order with the document's bodies against the
 * real server, are all accepted; only ids, the manufacturer's key (and key id), the cartridge serial
 * and chip, and the trace key are replaced, as the document tells the reader to.
 */
class WorkflowDocIT extends ServerTestBase {

  private static final Path DOC = Path.of("..", "docs", "workflow.md");
  private static final Pattern CALL = Pattern.compile(
      "\\*\\*Call:\\*\\* `(GET|POST) ([^`]+)` as `([a-z-]+)`(?: · \\*\\*later:\\*\\* `([A-Za-z]+/[a-z0-9-]+)`)?[^\\n]*\\n+"
          + "(?:```json\\n(.*?)```)?", Pattern.DOTALL);
  /** The example values the document says stand for the reader's own. */
  private static final String DOC_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample";
  private static final String DOC_CHIP = "gwHShEyiASYER01GUi0wMDGgWGmq";
  private static final String DOC_SEALED_CHIP = "gwLShEyiASYER01GUi0wMDGgWGmqoQ==";
  private static final String DOC_KID = "MFR-001-2026";
  private static final String DOC_SERIAL = "CART-2026-000123";
  private static final String DOC_TRACE_KEY = "7K3M-Q9TX-2B8D-4H6J-0P1R-5S7V-9W3Y-ZA2C-E";

  @Autowired
  ProfileValidationInterceptor validation;

  @Autowired
  DicomNodeService dicom;

  record Call(String method, String path, String role, String later, String body) {}

  @Test
  void everyJsonExampleParsesAndValidates() throws Exception {
    Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(14);
    int profiled = 0;
    for (String json : blocks) {
      IBaseResource resource = FHIR.newJsonParser().parseResource(json);
      if (!resource.getMeta().getProfile().isEmpty()) {
        profiled++;
        assertThatCode(() -> validation.check(resource)).as(json).doesNotThrowAnyException();
      }
    }
    assertThat(profiled).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theDocumentsCallsRunInItsOrderFromRegistrationToAudit() throws Exception {
    List<Call> calls = calls();
    assertThat(calls).extracting(Call::path).containsSubsequence("/fhir/Organization", "/fhir/DeviceDefinition",
        "/fhir/Patient", "/fhir/SupplyRequest", "/fhir/SupplyDelivery", "/fhir/Device/$chip-read",
        "/fhir/Device/seed-cartridge-example/$assemble", "/fhir/Procedure", "/fhir/Device/seed-cartridge-example/$seal",
        "/fhir/Device/seed-cartridge-example/$trace", "/fhir/$verify-audit-chain");
    KeyPair factoryKey = factoryKey();
    Map<String, String> yours = new LinkedHashMap<>();
    // the server may hold the package's examples already: this run's key id and cartridge are its own
    String tag = Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT);
    yours.put(DOC_KID, DOC_KID + "-" + tag);
    yours.put(DOC_SERIAL, "CART-" + tag);
    yours.put(DOC_PUBLIC_KEY + publicKeyTail(), Base64.getEncoder().encodeToString(factoryKey.getPublic().getEncoded()));
    yours.put(DOC_CHIP, Base64.getEncoder().encodeToString(chipAsDocumented(factoryKey, yours)));
    Http http = new Http(baseUrl());
    for (Call call : calls) {
      HttpResponse<String> answer = http.send(call.method(), replaced(call.path(), yours), tokens().forRole(call.role()),
          "application/fhir+json", call.body() == null || call.method().equals("GET") ? null : replaced(call.body(), yours));
      assertThat(answer.statusCode()).as(call.method() + " " + call.path() + " as " + call.role() + ": " + answer.body())
          .isBetween(200, 201);
      remember(call, answer, yours);
    }
  }

  @Test
  void theDocumentsSearchesFindAPushedStudysReportAndAlarms() throws Exception {
    DiagnosticReport report = MissingSeedVerification.run(this::fhirAs, dicom.port(), EHR);
    String verification = report.getIdentifierFirstRep().getValue();
    String section = Files.readString(DOC).split("## Finding the results of a verification")[1].split("\n## ")[0];
    Matcher m = Pattern.compile("`GET (/fhir/[^`]+)`").matcher(section);
    List<String> searches = new ArrayList<>();
    while (m.find()) {
      searches.add(m.group(1).replace("\\|", "%7C").replace("VER-<series>-<n>", verification)
          .replace("Patient/<id>", report.getSubject().getReference()));
    }
    assertThat(searches).hasSizeGreaterThanOrEqualTo(5);
    Http http = new Http(baseUrl());
    for (String search : searches) {
      HttpResponse<String> answer = http.get(search + (search.contains("?") ? "&" : "?") + "_summary=count",
          tokens().forRole("physician"));
      assertThat(answer.statusCode()).as(search + ": " + answer.body()).isEqualTo(200);
      int total = FHIR.newJsonParser().parseResource(Bundle.class, answer.body()).getTotal();
      // the study matched its implant, so only the unmatched-study alarm is absent; a patient has all alarms
      if (search.contains("identifier=")) {
        assertThat(total).as(search).isEqualTo(search.endsWith("unmatched") ? 0 : 1);
      } else {
        assertThat(total).as(search).isPositive();
      }
    }
  }

  /** Ids of what a call created, and what the seal answered, stand in for the document's examples from now on. */
  private static void remember(Call call, HttpResponse<String> answer, Map<String, String> yours) {
    Optional<String> location = answer.headers().firstValue("Location");
    IBaseResource body = FHIR.newJsonParser().parseResource(answer.body());
    if (call.later() != null) {
      String type = call.later().substring(0, call.later().indexOf('/'));
      String id = location.map(l -> l.replaceAll(".*/fhir/([A-Za-z]+/[^/]+)/_history/.*", "$1"))
          .orElseGet(() -> ((Parameters) body).getParameter().stream().map(p -> p.getValue())
              .filter(v -> v instanceof Reference r && r.getReference().startsWith(type + "/"))
              .map(v -> ((Reference) v).getReference()).findFirst().orElseThrow());
      yours.put(call.later(), id);
    }
    if (body instanceof Parameters answered && answered.getParameter("traceKey") != null) {
      yours.put(DOC_TRACE_KEY, answered.getParameterValue("traceKey").primitiveValue());
      yours.put(DOC_SEALED_CHIP, answered.getParameterValue("sealedPayload").primitiveValue());
    }
    if (call.path().endsWith("$verify-audit-chain")) {
      assertThat(((Parameters) body).getParameterValue("intact").primitiveValue()).as(answer.body()).isEqualTo("true");
    }
  }

  private static List<Call> calls() throws Exception {
    Matcher m = CALL.matcher(Files.readString(DOC));
    List<Call> calls = new ArrayList<>();
    while (m.find()) {
      calls.add(new Call(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
    }
    return calls;
  }

  private static String replaced(String text, Map<String, String> yours) {
    String out = text;
    for (Map.Entry<String, String> e : yours.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String publicKeyTail() throws Exception {
    Matcher m = Pattern.compile("\"valueBase64Binary\": \"" + DOC_PUBLIC_KEY + "([^\"]*)\"").matcher(Files.readString(DOC));
    assertThat(m.find()).as("the manufacturer example's publicKey").isTrue();
    return m.group(1);
  }

  private static KeyPair factoryKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** The chip the factory writes for the document's order and shipment, signed under the document's kid. */
  private static byte[] chipAsDocumented(KeyPair key, Map<String, String> yours) {
    InitialBlock block = new InitialBlock(yours.get(DOC_SERIAL), Optional.empty(), "Example Isotope Works",
        "I-125 titanium seed", "6711", 60, 888_000L, Instant.parse("2026-11-20T08:00:00Z"), 14_800L, "LOT-2611-07",
        LocalDate.parse("2027-01-31"));
    return ChipPayloadCodec.encode(block, yours.get(DOC_KID).getBytes(StandardCharsets.UTF_8), key.getPrivate());
  }
}
