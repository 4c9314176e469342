package io.seedtrace.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The HL7 validation engine ({@code org.hl7.fhir.validation}, through HAPI's instance validator),
 * offline, with the R4 core definitions and SeedTrace's own FHIR package as the server ships it
 * (read from the classpath, not from the server): a resource is checked against every profile it
 * claims and against the base definitions. Used on what the server itself wrote, so that a
 * resource the server stores but an outside validator rejects fails the build.
 *
 * <p>References are checked against their allowed target types when the target is in the same
 * Bundle (the engine resolves {@code fullUrl}s inside a Bundle), which is how {@link #errors} is fed
 * a whole store's worth of resources.
 */
public final class PackageValidator {

  private static final String OWN_CANONICAL = "https://seedtrace.io/";

  private final FhirValidator validator;
  private final java.util.Set<String> ownProfiles = new java.util.HashSet<>();

  public PackageValidator(FhirContext fhir) {
    PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(fhir);
    for (IBaseResource resource : packageResources(fhir)) {
      ours.addResource(resource);
      if (resource instanceof org.hl7.fhir.r4.model.StructureDefinition sd) {
        ownProfiles.add(sd.getUrl());
      }
    }
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(fhir),
        ours,
        new SnapshotGeneratingValidationSupport(fhir),
        new InMemoryTerminologyServerValidationSupport(fhir),
        new CommonCodeSystemsTerminologyService(fhir),
        new UnknownCodeSystemWarningValidationSupport(fhir));
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    // A profile of another guide the validator does not hold (the IHE BALP profiles our PHI access events
    // claim) is a warning, as in the HL7 validator's own default; a SeedTrace profile must be in the package.
    module.setErrorForUnknownProfiles(false);
    this.validator = fhir.newValidator().registerValidatorModule(module);
  }

  /** Errors (and fatal messages) of one resource or Bundle, each as {@code location: message}. */
  public List<String> errors(IBaseResource resource) {
    List<String> errors = new java.util.ArrayList<>(validator.validateWithResult(resource).getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(PackageValidator::describe)
        .toList());
    resource.getMeta().getProfile().stream().map(p -> p.getValueAsString())
        .filter(url -> url.startsWith(OWN_CANONICAL) && !ownProfiles.contains(url))
        .forEach(url -> errors.add("meta.profile: " + url + " is not a profile of the SeedTrace package"));
    return errors;
  }

  private static String describe(SingleValidationMessage m) {
    return m.getLocationString() + ": " + m.getMessage();
  }

  /** Every conformance resource listed in the package index on the classpath ({@code package/.index.json}). */
  private static List<IBaseResource> packageResources(FhirContext fhir) {
    JsonNode index;
    try {
      index = new ObjectMapper().readTree(read("package/.index.json")).path("files");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return java.util.stream.StreamSupport.stream(index.spliterator(), false)
        .map(file -> fhir.newJsonParser().parseResource(read("package/" + file.path("filename").asText())))
        .toList();
  }

  private static String read(String path) {
    try (InputStream in = PackageValidator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("not on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
