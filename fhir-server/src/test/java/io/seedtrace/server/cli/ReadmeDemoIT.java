package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.support.BearerFhirClient;
import io.seedtrace.server.support.PackageValidator;
import io.seedtrace.server.support.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first ten minutes, as a newcomer runs them: the packaged jar started with the
 * README's options on its embedded default (H2 in a fresh data directory), then
 * {@code seedtrace.jar demo} in a second process. The demo must end with the report the README
 * quotes; then every resource the story left in the store is checked by the HL7 validation engine
 * against the core definitions and SeedTrace's package, references included, so that the server
 * cannot store what an EHR's validator would refuse.
 */
class ReadmeDemoIT {

  private static final Path JAR = Path.of("target", "seedtrace.jar");
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  /** Every resource type the custody chain, the verification and the audit write. */
  private static final List<String> TYPES = List.of("Organization", "Location", "Practitioner", "Patient",
      "DeviceDefinition", "Device", "SupplyRequest", "SupplyDelivery", "Procedure", "DocumentReference",
      "ImagingStudy", "DiagnosticReport", "Observation", "DetectedIssue", "Flag", "Task", "Communication",
      "Provenance", "AuditEvent");

  private static Process server;
  private static Path log;
  private static int httpPort;
  private static int dicomPort;
  private static int ehrPort;

  @BeforeAll
  static void startTheServerAsTheReadmeSays() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "the jar is made by mvn package: " + JAR.toAbsolutePath());
    httpPort = freePort();
    dicomPort = freePort();
    ehrPort = freePort();
    Path dataDir = Files.createTempDirectory("seedtrace-readme-");
    log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    server = new ProcessBuilder(java("-jar", JAR.toString(),
        "--seedtrace.dicom.allowed-calling-ae-titles=DEMO", "--seedtrace.dicom.allowed-addresses=127.0.0.1",
        "--seedtrace.ehr.base-url=http://127.0.0.1:" + ehrPort + "/fhir",
        "--server.port=" + httpPort, "--seedtrace.dicom.port=" + dicomPort, "--seedtrace.data-dir=" + dataDir))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      assertThat(server.isAlive()).as("server exited; its log: %s", log).isTrue();
      try {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void theDemoEndsWithTheReportTheReadmeQuotesAndEverythingItStoredIsValid() throws Exception {
    Path out = Files.createTempFile("seedtrace-demo", ".out");
    Process demo = new ProcessBuilder(java("-jar", JAR.toString(), "demo", "--server", base(),
        "--dicom-host", "127.0.0.1", "--dicom-port", String.valueOf(dicomPort),
        "--ehr-port", String.valueOf(ehrPort), "--timeout-s", "240"))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!demo.waitFor(6, TimeUnit.MINUTES)) {
      demo.destroyForcibly();
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(demo.exitValue()).as(printed).isZero();
    assertThat(printed).contains("Count mismatch: shipped L0 = 20, imaged L1 = 17, remaining L2 = 0, removed L3 = 2",
        "1 seed unaccounted for", "trace key");

    List<Resource> stored = storedResources();
    assertThat(stored).extracting(Resource::fhirType)
        .contains("SupplyRequest", "SupplyDelivery", "Device", "Procedure", "DiagnosticReport", "DetectedIssue",
            "AuditEvent", "Provenance");
    PackageValidator validator = new PackageValidator(FHIR);
    List<String> errors = new ArrayList<>();
    for (Resource resource : stored) {
      validator.errors(resource).forEach(e -> errors.add(resource.getIdElement().toUnqualifiedVersionless() + " " + e));
    }
    validator.errors(asOneBundle(stored)).forEach(e -> errors.add("references: " + e));
    assertThat(errors).as("HL7 validator errors on %d stored resources", stored.size()).isEmpty();

    // the reference check can fail: the demo's own order pointing its item at the product definition
    SupplyRequest order = stored.stream().filter(SupplyRequest.class::isInstance).map(SupplyRequest.class::cast)
        .findFirst().orElseThrow().copy();
    String definition = stored.stream().filter(r -> r.fhirType().equals("DeviceDefinition")).findFirst()
        .orElseThrow().getIdElement().toUnqualifiedVersionless().getValue();
    order.setItem(new Reference(definition));
    List<Resource> broken = new ArrayList<>(stored.stream().filter(r -> !r.getIdElement().getIdPart()
        .equals(order.getIdElement().getIdPart())).toList());
    broken.add(order);
    assertThat(validator.errors(asOneBundle(broken))).anyMatch(e -> e.contains("SupplyRequest") && e.contains("item"));
  }

  /** The current version of every resource of {@link #TYPES}, read as the administrator. */
  private static List<Resource> storedResources() {
    IGenericClient admin = BearerFhirClient.of(base(), new Tokens(base()).forRole("admin"));
    List<Resource> all = new ArrayList<>();
    for (String type : TYPES) {
      Bundle page = admin.search().forResource(type).count(200).returnBundle(Bundle.class).execute();
      while (true) {
        page.getEntry().forEach(e -> all.add(e.getResource()));
        if (page.getLink(Bundle.LINK_NEXT) == null) {
          break;
        }
        page = admin.loadPage().next(page).execute();
      }
    }
    return all;
  }

  /** One collection Bundle of them all, each under its absolute URL, so references resolve inside it. */
  private static Bundle asOneBundle(List<Resource> resources) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    for (Resource r : resources) {
      Resource copy = r.copy();
      bundle.addEntry().setFullUrl(base() + "/fhir/" + r.getIdElement().toUnqualifiedVersionless().getValue())
          .setResource(copy);
    }
    return bundle;
  }

  private static String base() {
    return "http://localhost:" + httpPort;
  }

  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
