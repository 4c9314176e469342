package io.seedtrace.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package is what it claims to be: every file is indexed, every profile snapshots, every
 * example is valid against the profile it claims, with HAPI's validator as the server uses it.
 */
class ProfilePackageTest {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static FhirValidator validator;
  static ValidationSupportChain chain;

  @BeforeAll
  static void validator() {
    PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(FHIR);
    PackageFiles.resources(FHIR, PackageFiles.ROOT).forEach(ours::addResource);
    UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(FHIR);
    unknownSystems.setNonExistentCodeSystemSeverity(org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport.DEFAULT_SEVERITY);
    chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(FHIR),
        ours,
        new SnapshotGeneratingValidationSupport(FHIR),
        new InMemoryTerminologyServerValidationSupport(FHIR),
        new CommonCodeSystemsTerminologyService(FHIR),
        unknownSystems);
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setErrorForUnknownProfiles(true);
    validator = FHIR.newValidator().registerValidatorModule(module);
  }

  static List<String> errors(ValidationResult result) {
    return result.getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .collect(Collectors.toList());
  }

  @Test
  void indexListsExactlyTheFilesOfThePackage() throws Exception {
    assertThat(listed(PackageFiles.ROOT)).isEqualTo(onDisk(PackageFiles.ROOT));
    assertThat(listed(PackageFiles.ROOT + "example/")).isEqualTo(onDisk(PackageFiles.ROOT + "example/"));
  }

  private static Set<String> listed(String folder) {
    return Set.copyOf(PackageFiles.indexed(folder));
  }

  private static Set<String> onDisk(String folder) throws URISyntaxException, java.io.IOException {
    Path dir = new File(ProfilePackageTest.class.getClassLoader().getResource(folder).toURI()).toPath();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json") && !n.equals("package.json") && !n.startsWith("."))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void manifestNamesThePackageAndItsR4Dependency() {
    var manifest = PackageFiles.json(PackageFiles.ROOT + "package.json");
    assertThat(manifest.path("name").asText()).isEqualTo("io.seedtrace.fhir");
    assertThat(manifest.path("fhirVersions").get(0).asText()).isEqualTo("4.0.1");
    assertThat(manifest.path("dependencies").path("hl7.fhir.r4.core").asText()).isEqualTo("4.0.1");
  }

  static Stream<StructureDefinition> profiles() {
    return PackageFiles.resources(FHIR, PackageFiles.ROOT).stream()
        .filter(StructureDefinition.class::isInstance).map(StructureDefinition.class::cast);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyProfileSnapshotsWithoutError(StructureDefinition profile) {
    StructureDefinition snapshot = (StructureDefinition) chain.generateSnapshot(
        new ca.uhn.fhir.context.support.ValidationSupportContext(chain), profile.copy(), profile.getUrl(), null, profile.getName());
    assertThat(snapshot).isNotNull();
    assertThat(snapshot.getSnapshot().getElement()).isNotEmpty();
    assertThat(snapshot.getSnapshot().getElement()).noneMatch(e -> e.getUserData("hapi.snapshot.error") != null);
    ValidationResult result = validator.validateWithResult(profile);
    List<String> errors = errors(result);
    if (profile.getType().equals("Extension")) {
      // HAPI's validator, checking an extension's context without NPM package metadata for the
      // core spec, reports this about itself; the snapshot above was generated without error.
      errors.removeIf(e -> e.contains("Unable to resolve package id hl7.fhir.r4.core#null"));
    }
    assertThat(errors).as("the StructureDefinition itself is valid").isEmpty();
  }

  static Stream<IBaseResource> examples() {
    return PackageFiles.resources(FHIR, PackageFiles.ROOT + "example/").stream();
  }

  /** Validator messages over all examples, by severity, printed once the examples are validated. */
  private static final java.util.Map<ResultSeverityEnum, Integer> MESSAGES =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsValid(IBaseResource example) {
    ValidationResult result = validator.validateWithResult(example);
    result.getMessages().forEach(m -> MESSAGES.merge(m.getSeverity(), 1, Integer::sum));
    assertThat(errors(result)).isEmpty();
  }

  @org.junit.jupiter.api.AfterAll
  static void printValidatorCounts() {
    System.out.println("VALIDATOR messages over the package's examples: " + MESSAGES);
  }

  static Stream<IBaseResource> everyResource() {
    return Stream.concat(PackageFiles.resources(FHIR, PackageFiles.ROOT).stream(), examples());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyResource")
  void everyResourceHasAGeneratedNarrative(IBaseResource resource) {
    org.hl7.fhir.r4.model.Narrative text = ((org.hl7.fhir.r4.model.DomainResource) resource).getText();
    assertThat(text.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED);
    assertThat(text.getDiv().allText()).as("the narrative says something").isNotBlank();
  }

  @Test
  void everyIdentifierSystemOfTheExamplesHasANamingSystem() {
    Set<String> named = PackageFiles.resources(FHIR, PackageFiles.ROOT).stream()
        .filter(org.hl7.fhir.r4.model.NamingSystem.class::isInstance)
        .map(org.hl7.fhir.r4.model.NamingSystem.class::cast)
        .flatMap(n -> n.getUniqueId().stream()).map(u -> u.getValue()).collect(Collectors.toSet());
    Set<String> used = new java.util.TreeSet<>();
    java.util.regex.Matcher systems = java.util.regex.Pattern.compile("https://seedtrace\\.io/fhir/sid/[a-z-]+")
        .matcher(examples().map(e -> FHIR.newJsonParser().encodeResourceToString(e)).collect(Collectors.joining()));
    while (systems.find()) {
      used.add(systems.group());
    }
    assertThat(used).isNotEmpty();
    assertThat(named).containsAll(used);
  }

  @Test
  void everyProfileHasAnExampleThatClaimsIt() {
    Set<String> claimed = examples().flatMap(e -> e.getMeta().getProfile().stream())
        .map(p -> p.getValueAsString()).collect(Collectors.toSet());
    Set<String> resourceProfiles = profiles().filter(p -> !p.getType().equals("Extension"))
        .map(StructureDefinition::getUrl).collect(Collectors.toSet());
    assertThat(claimed).containsAll(resourceProfiles);
  }

}
