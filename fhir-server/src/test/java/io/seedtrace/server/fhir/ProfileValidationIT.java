package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.server.support.ServerTestBase;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * The server knows SeedTrace's profiles from its package: lists them in metadata, stores the
 * package's examples, and refuses with 422 what violates a profile it claims.
 */
class ProfileValidationIT extends ServerTestBase {

  private static List<Resource> examples() throws Exception {
    ClassLoader loader = ProfileValidationIT.class.getClassLoader();
    JsonNode index;
    try (InputStream in = loader.getResourceAsStream("package/example/.index.json")) {
      index = new ObjectMapper().readTree(in);
    }
    List<Resource> resources = new ArrayList<>();
    for (JsonNode file : index.path("files")) {
      try (InputStream in = loader.getResourceAsStream("package/example/" + file.path("filename").asText())) {
        resources.add((Resource) FHIR.newJsonParser().parseResource(in));
      }
    }
    return resources;
  }

  @Test
  void metadataListsEveryProfileOfThePackageUnderItsResourceType() {
    CapabilityStatement metadata = fhirAs("nurse").capabilities().ofType(CapabilityStatement.class).execute();
    ProfilePackage pkg = ProfilePackage.fromClasspath();
    assertThat(pkg.profilesByType()).isNotEmpty();
    pkg.profilesByType().forEach((type, urls) -> {
      CapabilityStatement.CapabilityStatementRestResourceComponent resource = metadata.getRestFirstRep().getResource()
          .stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow();
      assertThat(resource.getSupportedProfile().stream().map(CanonicalType::getValue).collect(Collectors.toList()))
          .as(type).containsAll(urls);
    });
  }

  @Test
  void storesAllPackageExamplesInOneTransaction() throws Exception {
    List<Resource> examples = examples();
    assertThat(examples).isNotEmpty();
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Resource example : examples) {
      transaction.addEntry().setResource(example).getRequest()
          .setMethod(Bundle.HTTPVerb.PUT)
          .setUrl(example.fhirType() + "/" + example.getIdElement().getIdPart());
    }
    Bundle response = fhirAs("admin").transaction().withBundle(transaction).execute();
    assertThat(response.getEntry()).hasSize(examples.size())
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).matches("20[01].*"));
  }

  @Test
  void refusesASeedCartridgeThatBreaksItsProfileNamingTheElement() throws Exception {
    Device cartridge = (Device) examples().stream()
        .filter(r -> r instanceof Device d && d.getMeta().hasProfile(profile("Device")))
        .findFirst().orElseThrow();
    Device broken = cartridge.copy();
    broken.setId((String) null);
    broken.setLotNumber(null);
    IGenericClient fhir = fhirAs("nurse");

    assertThatThrownBy(() -> fhir.create().resource(broken).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(422);
          OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
          assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics() + issue.getExpression()).contains("lotNumber");
          });
        });
  }

  @Test
  void refusesAClaimOfAnUnknownSeedTraceProfile() {
    Device device = new Device();
    device.setLotNumber("LOT-7");
    device.getMeta().addProfile("https://seedtrace.io/fhir/StructureDefinition/no-such-profile");
    assertThatThrownBy(() -> fhirAs("nurse").create().resource(device).execute())
        .isInstanceOf(UnprocessableEntityException.class)
        .hasMessageContaining("no-such-profile");
  }

  @Test
  void resourcesWithoutSeedTraceProfilesAreStoredAsTheBaseSpecAllows() {
    Device plain = new Device();
    assertThat(fhirAs("nurse").create().resource(plain).execute().getCreated()).isTrue();
  }

  private static String profile(String type) {
    return ProfilePackage.fromClasspath().profilesByType().get(type).get(0);
  }

}
