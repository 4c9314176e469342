package io.seedtrace.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Validates every resource written to the store that claims a SeedTrace profile in
 * {@code meta.profile}. A resource with an error-level finding is refused with HTTP 422 and an
 * OperationOutcome whose issues name the offending element (FHIRPath {@code expression}); a claim
 * of a profile under our canonical base that the package does not define is refused the same way.
 * Resources that claim no SeedTrace profile are stored as the base specification allows.
 */
@Interceptor
public class ProfileValidationInterceptor {

  private final ProfilePackage profilePackage;
  private final FhirValidator validator;

  public ProfileValidationInterceptor(FhirContext context, IValidationSupport validationSupport,
      ProfilePackage profilePackage) {
    this.profilePackage = profilePackage;
    FhirInstanceValidator module = new FhirInstanceValidator(validationSupport);
    module.setAnyExtensionsAllowed(true);
    module.setErrorForUnknownProfiles(true);
    this.validator = context.newValidator().setValidateAgainstStandardSchema(false)
        .setValidateAgainstStandardSchematron(false);
    this.validator.registerValidatorModule(module);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void beforeCreate(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void beforeUpdate(IBaseResource previous, IBaseResource resource) {
    check(resource);
  }

  /** Refuses (422) a resource that claims a SeedTrace profile and does not conform to it. */
  public void check(IBaseResource resource) {
    List<String> claimed = resource.getMeta().getProfile().stream()
        .map(IPrimitiveType::getValueAsString)
        .filter(url -> profilePackage.isOwnProfile(url) || profilePackage.isUnderCanonical(url))
        .toList();
    if (claimed.isEmpty()) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    for (String url : claimed) {
      if (!profilePackage.isOwnProfile(url)) {
        outcome.addIssue()
            .setSeverity(OperationOutcome.IssueSeverity.ERROR)
            .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
            .setDiagnostics("Unknown SeedTrace profile " + url)
            .addExpression("meta.profile");
      }
    }
    if (!outcome.hasIssue()) {
      ValidationResult result = validator.validateWithResult(resource);
      for (SingleValidationMessage message : result.getMessages()) {
        if (message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL) {
          OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
              .setSeverity(OperationOutcome.IssueSeverity.ERROR)
              .setCode(OperationOutcome.IssueType.PROCESSING)
              .setDiagnostics(message.getMessage());
          if (message.getLocationString() != null) {
            issue.addExpression(message.getLocationString());
          }
        }
      }
    }
    if (outcome.hasIssue()) {
      throw new UnprocessableEntityException(
          "Resource does not conform to " + String.join(", ", claimed), outcome);
    }
  }
}
