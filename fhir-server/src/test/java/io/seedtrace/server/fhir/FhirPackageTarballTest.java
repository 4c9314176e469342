package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/**
 * The package {@code .tgz} the profiles build makes (and attaches as {@code fhir-package}) has the
 * npm package layout the IG Publisher and the HL7 validator install, holds every file its index
 * lists and the examples, and is the very file the server installs; no order in it references a
 * DeviceDefinition as its item (R4 allows Device, Medication, Substance there).
 */
class FhirPackageTarballTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, byte[]> entries(byte[] tgz) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.isFile()) {
          entries.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    return entries;
  }

  private static byte[] built() throws Exception {
    try (InputStream in = FhirPackageTarballTest.class.getClassLoader().getResourceAsStream(ProfilePackage.BUILT_TARBALL)) {
      assertThat(in).as("the profiles build's " + ProfilePackage.BUILT_TARBALL).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void theBuiltTarballHasTheNpmPackageLayoutAndIsWhatTheServerInstalls() throws Exception {
    byte[] tgz = built();
    assertThat(ProfilePackage.fromClasspath().toTarball()).isEqualTo(tgz);
    Map<String, byte[]> entries = entries(tgz);
    assertThat(entries.keySet()).allSatisfy(name -> assertThat(name).startsWith("package/"));
    JsonNode manifest = JSON.readTree(entries.get("package/package.json"));
    assertThat(manifest.get("name").asText()).isEqualTo("io.seedtrace.fhir");
    assertThat(manifest.get("version").asText()).isNotBlank();
    assertThat(manifest.get("fhirVersions").toString()).contains("4.0.1");
    JsonNode index = JSON.readTree(entries.get("package/.index.json"));
    assertThat(index.get("files")).isNotEmpty();
    for (JsonNode file : index.get("files")) {
      String name = "package/" + file.get("filename").asText();
      assertThat(entries).as(name).containsKey(name);
      assertThat(JSON.readTree(entries.get(name)).get("resourceType").asText()).isEqualTo(file.get("resourceType").asText());
    }
    assertThat(entries.keySet().stream().filter(n -> n.startsWith("package/example/") && n.endsWith("-example.json")))
        .hasSizeGreaterThanOrEqualTo(17);
  }

  @Test
  void noOrderInThePackageHasADeviceDefinitionAsItsItem() throws Exception {
    int orders = 0;
    for (Map.Entry<String, byte[]> entry : entries(built()).entrySet()) {
      if (!entry.getKey().endsWith(".json")) {
        continue;
      }
      JsonNode resource = JSON.readTree(entry.getValue());
      if ("SupplyRequest".equals(resource.path("resourceType").asText())) {
        orders++;
        assertThat(resource.has("itemCodeableConcept")).as(entry.getKey()).isTrue();
        assertThat(resource.path("itemReference").path("reference").asText()).as(entry.getKey())
            .doesNotStartWith("DeviceDefinition/");
      }
    }
    assertThat(orders).isPositive();
  }

  @Test
  void everyIdentifierSystemTheServerWritesHasANamingSystemInThePackage() throws Exception {
    java.util.Set<String> named = new java.util.HashSet<>();
    for (Map.Entry<String, byte[]> entry : entries(built()).entrySet()) {
      JsonNode resource = entry.getKey().endsWith(".json") ? JSON.readTree(entry.getValue()) : null;
      if (resource != null && "NamingSystem".equals(resource.path("resourceType").asText())) {
        resource.path("uniqueId").forEach(id -> named.add(id.path("value").asText()));
        assertThat(resource.path("text").path("div").asText()).as(entry.getKey()).isNotBlank();
      }
    }
    assertThat(named).contains(io.seedtrace.server.custody.CustodyCodes.SID_SERIAL,
        io.seedtrace.server.custody.CustodyCodes.SID_ORDER, io.seedtrace.server.custody.CustodyCodes.SID_SHIPMENT,
        io.seedtrace.server.custody.CustodyCodes.SID_ALERT, io.seedtrace.server.custody.CustodyCodes.SID_SIGNING_KEY,
        io.seedtrace.server.custody.CustodyCodes.SID_RETURN,
        io.seedtrace.server.verification.VerificationResults.SID_VERIFICATION,
        io.seedtrace.server.verification.VerificationResults.SID_FLAG,
        io.seedtrace.server.network.CustodyMessages.SID_ORGANIZATION,
        io.seedtrace.server.console.report.SignOff.SID_CONSOLE_USER,
        io.seedtrace.server.custody.CustodyCodes.BASE + "sid/accession",
        io.seedtrace.server.custody.CustodyCodes.BASE + "sid/product");
  }
}
