package io.seedtrace.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import io.seedtrace.server.support.BulkExportClient;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.SmartBackendClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Bulk Data export over real HTTP with real tokens, as an analytics client or an EHR would use
 * it: kick-off, polling to the manifest, NDJSON downloads; what {@code _type}, {@code _since} and
 * the export level select; what each role gets; that the administrator's restricted message never
 * leaves the server for anybody else; and the refusals (401, 403, 404, 400 and 429, each with an
 * OperationOutcome).
 */
class BulkExportIT extends ServerTestBase {

  private static final String JSON = "application/fhir+json";
  private static final String SECRET = "restricted export message " + UUID.randomUUID();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Resources made for this test, by name ("p1", "o3", ...), as ids; and the instants around them. */
  private static final Map<String, String> ids = new TreeMap<>();
  private static Instant beforeAll;
  private static Instant beforeTheLastObservation;

  @Autowired
  private ExportJobs jobs;
  @Autowired
  private DataSource dataSource;
  private BulkExportClient bulk;
  private Http http;
  private String admin;

  @BeforeEach
  void storeTwoPatientsWithObservationsMessagesADeviceAndAGroup() {
    bulk = new BulkExportClient(baseUrl());
    http = new Http(baseUrl());
    admin = tokens().forRole("admin");
    if (!ids.isEmpty()) {
      return;
    }
    beforeAll = Instant.now();
    ids.put("p1", create("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Exported\"}]}"));
    ids.put("p2", create("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Outside\"}]}"));
    ids.put("o1", create("Observation", observation("p1")));
    ids.put("o2", create("Observation", observation("p2")));
    ids.put("d1", create("Device", "{\"resourceType\":\"Device\",\"status\":\"active\",\"lotNumber\":\"BULK-1\"}"));
    ids.put("c1", create("Communication", communication(false, "nothing secret")));
    ids.put("c2", create("Communication", communication(true, SECRET)));
    ids.put("g1", create("Group", "{\"resourceType\":\"Group\",\"type\":\"person\",\"actual\":true,"
        + "\"member\":[{\"entity\":{\"reference\":\"Patient/" + ids.get("p1") + "\"}}]}"));
    beforeTheLastObservation = Instant.now();
    ids.put("o3", create("Observation", observation("p1")));
  }

  @Test
  void anAdministratorsSystemExportHasEveryResourceChangedSinceAndTheCountsOfTheManifest() throws Exception {
    JsonNode manifest = bulk.awaitManifest(bulk.start("/fhir/$export?_since=" + since(beforeAll)
        + "&_type=Patient,Observation,Communication,Device,Group&_outputFormat=application/fhir%2Bndjson", admin), admin);
    assertThat(manifest.get("transactionTime").asText()).isNotBlank();
    assertThat(manifest.get("request").asText()).startsWith(baseUrl() + "/fhir/$export?_since=");
    assertThat(manifest.get("error")).isEmpty();
    Map<String, Set<String>> exported = idsByType(bulk.download(manifest, admin));
    assertThat(exported).containsOnlyKeys("Patient", "Observation", "Communication", "Device", "Group");
    assertThat(exported.get("Patient")).containsExactlyInAnyOrder(ids.get("p1"), ids.get("p2"));
    assertThat(exported.get("Observation")).containsExactlyInAnyOrder(ids.get("o1"), ids.get("o2"), ids.get("o3"));
    assertThat(exported.get("Communication")).containsExactlyInAnyOrder(ids.get("c1"), ids.get("c2"));
    assertThat(exported.get("Device")).containsExactly(ids.get("d1"));
    assertThat(exported.get("Group")).containsExactly(ids.get("g1"));
  }

  @Test
  void sinceLeavesOutWhatDidNotChangeAfterIt() {
    Map<String, Set<String>> exported = idsByType(bulk.export("/fhir/$export?_type=Observation&_since="
        + since(beforeTheLastObservation), admin));
    assertThat(exported).containsOnlyKeys("Observation");
    assertThat(exported.get("Observation")).containsExactly(ids.get("o3"));
  }

  @Test
  void aPostKickOffTakesItsParametersFromAParametersBody() {
    HttpResponse<String> accepted = bulk.kickOffPost("/fhir/$export", admin, "{\"resourceType\":\"Parameters\","
        + "\"parameter\":[{\"name\":\"_type\",\"valueString\":\"Observation\"},"
        + "{\"name\":\"_since\",\"valueInstant\":\"" + beforeTheLastObservation + "\"}]}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonNode manifest = bulk.awaitManifest(accepted.headers().firstValue("Content-Location").orElseThrow(), admin);
    Map<String, Set<String>> exported = idsByType(bulk.download(manifest, admin));
    assertThat(exported).containsOnlyKeys("Observation");
    assertThat(exported.get("Observation")).containsExactly(ids.get("o3"));
  }

  @Test
  void anEhrWithSmartSystemReadScopeExportsThePatientCompartmentWithoutTheRestrictedMessage() throws Exception {
    String ehr = smartToken("system/*.read");
    Map<String, List<String>> lines = bulk.export("/fhir/Patient/$export?_since=" + since(beforeAll), ehr);
    Map<String, Set<String>> exported = idsByType(lines);
    assertThat(exported.get("Patient")).containsExactlyInAnyOrder(ids.get("p1"), ids.get("p2"));
    assertThat(exported.get("Observation")).containsExactlyInAnyOrder(ids.get("o1"), ids.get("o2"), ids.get("o3"));
    assertThat(exported.get("Communication")).containsExactly(ids.get("c1"));
    // the Device has no patient, and an EHR may not read Groups
    assertThat(exported).doesNotContainKeys("Device", "Group");
    assertThat(String.join("\n", lines.values().stream().flatMap(List::stream).toList())).doesNotContain(SECRET);
  }

  @Test
  void aGroupExportHasOnlyItsMembersDataAndAnAuditorDoesNotSeeTheRestrictedMessage() {
    String auditor = tokens().forRole("auditor");
    Map<String, Set<String>> exported = idsByType(bulk.export("/fhir/Group/" + ids.get("g1") + "/$export?_since="
        + since(beforeAll) + "&_type=Patient,Observation,Communication", auditor));
    assertThat(exported.get("Patient")).containsExactly(ids.get("p1"));
    assertThat(exported.get("Observation")).containsExactlyInAnyOrder(ids.get("o1"), ids.get("o3"));
    assertThat(exported.get("Communication")).containsExactly(ids.get("c1"));
  }

  @Test
  void aRoleGetsOnlyTheTypesItMayReadAndIsRefusedTheOthers() {
    String logistics = tokens().forRole("logistics");
    Map<String, Set<String>> exported = idsByType(bulk.export("/fhir/$export?_since=" + since(beforeAll), logistics));
    assertThat(exported).containsOnlyKeys("Device");
    assertThat(exported.get("Device")).containsExactly(ids.get("d1"));
    assertRefused(bulk.kickOff("/fhir/$export?_type=Device,Patient", logistics), 403, "Patient");
    assertRefused(bulk.kickOff("/fhir/Patient/$export", logistics), 403, "Patient");
    String physician = tokens().forRole("physician");
    assertRefused(bulk.kickOff("/fhir/Group/" + ids.get("g1") + "/$export", physician), 403, "Group");
    assertRefused(bulk.kickOff("/fhir/$export", null), 401, null);
  }

  @Test
  void statusAndFilesAnswerOnlyTheClientThatAskedAndNeedItsToken() {
    String status = bulk.start("/fhir/$export?_type=Device&_since=" + since(beforeAll), admin);
    JsonNode manifest = bulk.awaitManifest(status, admin);
    String file = manifest.get("output").get(0).get("url").asText();
    assertThat(file).startsWith(baseUrl() + "/fhir/");
    assertThat(BulkExportClient.send("GET", file, null).statusCode()).isEqualTo(401);
    assertThat(BulkExportClient.send("GET", status, null).statusCode()).isEqualTo(401);
    String auditor = tokens().forRole("auditor");
    assertRefused(BulkExportClient.send("GET", file, auditor), 404, null);
    assertRefused(BulkExportClient.send("GET", status, auditor), 404, null);
    assertRefused(BulkExportClient.send("DELETE", status, auditor), 404, null);
    assertThat(BulkExportClient.send("GET", file, admin).body()).contains(ids.get("d1"));
  }

  @Test
  void deleteCancelsAnExportAndForgetsItsFiles() {
    String status = bulk.start("/fhir/$export?_type=Patient", admin);
    assertThat(BulkExportClient.send("DELETE", status, admin).statusCode()).isEqualTo(202);
    assertRefused(BulkExportClient.send("GET", status, admin), 404, null);
    String jobId = status.substring(status.indexOf("_jobId=") + "_jobId=".length());
    assertThat(jobs.find(jobId)).isEmpty();
    assertThat(jobs.files(jobId)).isEmpty();
  }

  @Test
  void aClientWithTooManyExportsRunningIsToldToComeBackLater() {
    String physician = tokens().forRole("physician");
    List<String> running = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    // two exports held by another node (a lease that does not run out here), as physician-cli's
    running.forEach(id -> jobs.insert(new ExportJob(id, "physician-cli", "test", ExportJob.Level.SYSTEM, null,
        List.of("Patient"), null, Instant.now(), false, ExportJob.Status.RUNNING, "held elsewhere", Instant.now(),
        null, null)));
    try {
      HttpResponse<String> refused = bulk.kickOff("/fhir/$export?_type=Patient", physician);
      assertRefused(refused, 429, "already 2");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    } finally {
      running.forEach(jobs::delete);
    }
    bulk.export("/fhir/$export?_type=Patient&_since=" + since(beforeAll), physician);
  }

  @Test
  void anExportWhoseNodeDiedIsStartedAgainFromNothingByAnotherNode() {
    String id = UUID.randomUUID().toString();
    jobs.insert(new ExportJob(id, "admin-cli", baseUrl() + "/fhir/$export?_type=Device", ExportJob.Level.SYSTEM, null,
        List.of("Device"), beforeAll, Instant.now(), true, ExportJob.Status.RUNNING, "exporting Device", Instant.now(),
        null, null));
    // what the dead node wrote before it died, and its lease, run out
    jobs.appendPart(id, 1, 1, "Device", 1, "{\"resourceType\":\"Device\",\"id\":\"half-done\"}\n"
        .getBytes(StandardCharsets.UTF_8));
    new JdbcTemplate(dataSource).update("UPDATE st_bulk_export SET lease_owner = 'dead-node', lease_until_ms = 0"
        + " WHERE id = ?", id);
    JsonNode manifest = bulk.awaitManifest(baseUrl() + "/fhir/$export-poll-status?_jobId=" + id, admin);
    Map<String, Set<String>> exported = idsByType(bulk.download(manifest, admin));
    assertThat(exported).containsOnlyKeys("Device");
    assertThat(exported.get("Device")).containsExactly(ids.get("d1"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no Prefer: respond-async | /fhir/$export?_type=Patient | false | Prefer",
      "an unknown _type | /fhir/$export?_type=Patient,NotAType | true | NotAType",
      "a _type outside the Patient compartment | /fhir/Patient/$export?_type=Organization | true | compartment",
      "_since not an instant | /fhir/$export?_since=yesterday | true | _since",
      "_since without a time zone | /fhir/$export?_since=2026-12-01T10:00:00 | true | _since",
      "_outputFormat CSV | /fhir/$export?_outputFormat=text/csv | true | _outputFormat",
      "_typeFilter | /fhir/$export?_typeFilter=Patient%3Factive%3Dtrue | true | _typeFilter"})
  void badKickOffsAreRefusedWith400AndAnOperationOutcome(String what, String path, boolean async, String named) {
    HttpResponse<String> response = async ? bulk.kickOff(path, admin)
        : BulkExportClient.send("GET", baseUrl() + path, admin);
    assertRefused(response, 400, named);
  }

  @Test
  void theCapabilityStatementListsTheExportOperations() throws Exception {
    JsonNode capabilities = MAPPER.readTree(http.get("/fhir/metadata", null).body());
    assertThat(capabilities.toString()).contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
    assertThat(capabilities.get("rest").get(0).get("operation").findValuesAsText("name")).contains("export");
    for (String type : List.of("Patient", "Group")) {
      JsonNode resource = null;
      for (JsonNode r : capabilities.get("rest").get(0).get("resource")) {
        if (r.get("type").asText().equals(type)) {
          resource = r;
        }
      }
      assertThat(resource).as(type).isNotNull();
      assertThat(resource.get("operation").findValuesAsText("name")).as(type).contains("export");
    }
  }

  private static void assertRefused(HttpResponse<String> response, int status, String mentioned) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    if (status != 401) {
      assertThat(response.body()).contains("\"resourceType\"").contains("OperationOutcome");
    }
    if (mentioned != null) {
      assertThat(response.body()).contains(mentioned);
    }
  }

  private Map<String, Set<String>> idsByType(Map<String, List<String>> lines) {
    Map<String, Set<String>> byType = new TreeMap<>();
    lines.forEach((type, typeLines) -> byType.put(type, typeLines.stream()
        .map(line -> FHIR.newJsonParser().parseResource(line))
        .peek(resource -> assertThat(resource.fhirType()).isEqualTo(type))
        .map(IBaseResource::getIdElement)
        .map(id -> id.getIdPart())
        .collect(Collectors.toSet())));
    return byType;
  }

  private String smartToken(String scope) throws Exception {
    String endpoint = MAPPER.readTree(http.get("/fhir/.well-known/smart-configuration", null).body())
        .get("token_endpoint").asText();
    HttpResponse<String> token = SmartBackendClient.requestToken(endpoint, SmartBackendClient.sign(SMART_EHR.rsa,
        JWSAlgorithm.RS384, SmartBackendClient.claims("smart-ehr", endpoint).build()), scope, "127.0.9.1");
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    return MAPPER.readTree(token.body()).get("access_token").asText();
  }

  private String create(String type, String json) {
    HttpResponse<String> created = http.send("POST", "/fhir/" + type, admin, JSON, json);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return created.headers().firstValue("Location").orElseThrow()
        .replaceAll(".*/fhir/[A-Za-z]+/([^/]+)/_history/.*", "$1");
  }

  private static String observation(String patient) {
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"bulk export test\"},"
        + "\"subject\":{\"reference\":\"Patient/" + ids.get(patient) + "\"}}";
  }

  private static String communication(boolean restricted, String text) {
    return "{\"resourceType\":\"Communication\","
        + (restricted ? "\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\","
            + "\"code\":\"R\"}]}," : "")
        + "\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/" + ids.get("p1") + "\"},"
        + "\"payload\":[{\"contentString\":\"" + text + "\"}]}";
  }

  private static String since(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }
}
