package io.seedtrace.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * HAPI's ValueSet operations with {@code $expand} done in memory, through the validation support
 * chain (which resolves our package's CodeSystems), instead of in the terminology tables: without
 * Hibernate Search (off in this server) and without a finished pre-expansion, HAPI's JPA expansion
 * fails with "Hibernate Search was not initialized". Our value sets are small enumerations, so
 * an in-memory expansion is cheap. {@code $validate-code} and the rest are HAPI's.
 */
public class InMemoryExpandValueSetOperations extends ValueSetOperationProvider {

  private final FhirContext context;
  private final IValidationSupport validationSupport;
  private final JpaStorageSettings storageSettings;
  private final DaoRegistry daos;

  public InMemoryExpandValueSetOperations(FhirContext context, IValidationSupport validationSupport,
      JpaStorageSettings storageSettings, DaoRegistry daos) {
    this.context = context;
    this.validationSupport = validationSupport;
    this.storageSettings = storageSettings;
    this.daos = daos;
  }

  @Override
  @Operation(name = "$expand", idempotent = true, typeName = "ValueSet")
  public IBaseResource expand(
      HttpServletRequest servletRequest,
      @IdParam(optional = true) IIdType id,
      @OperationParam(name = "valueSet", min = 0, max = 1) IBaseResource valueSet,
      @OperationParam(name = "url", min = 0, max = 1, typeName = "uri") IPrimitiveType<String> url,
      @OperationParam(name = "valueSetVersion", min = 0, max = 1, typeName = "string") IPrimitiveType<String> valueSetVersion,
      @OperationParam(name = "filter", min = 0, max = 1, typeName = "string") IPrimitiveType<String> filter,
      @OperationParam(name = "context", min = 0, max = 1, typeName = "string") IPrimitiveType<String> expansionContext,
      @OperationParam(name = "contextDirection", min = 0, max = 1, typeName = "string") IPrimitiveType<String> contextDirection,
      @OperationParam(name = "offset", min = 0, max = 1, typeName = "integer") IPrimitiveType<Integer> offset,
      @OperationParam(name = "count", min = 0, max = 1, typeName = "integer") IPrimitiveType<Integer> count,
      @OperationParam(name = "displayLanguage", min = 0, max = 1, typeName = "code") IPrimitiveType<String> displayLanguage,
      @OperationParam(name = "includeHierarchy", min = 0, max = 1, typeName = "boolean") IPrimitiveType<Boolean> includeHierarchy,
      RequestDetails request) {
    boolean haveId = id != null && id.hasIdPart();
    boolean haveUrl = url != null && url.getValue() != null && !url.getValue().isBlank();
    if ((haveId ? 1 : 0) + (haveUrl ? 1 : 0) + (valueSet != null ? 1 : 0) != 1) {
      throw new InvalidRequestException("$expand needs exactly one of: a ValueSet id, the url parameter, "
          + "the valueSet parameter");
    }
    IBaseResource source;
    if (haveId) {
      source = daos.getResourceDao("ValueSet").read(id, request);
    } else if (haveUrl) {
      String canonical = url.getValue() + (valueSetVersion != null && valueSetVersion.getValue() != null
          ? "|" + valueSetVersion.getValue() : "");
      source = validationSupport.fetchValueSet(canonical);
      if (source == null) {
        throw new ResourceNotFoundException("no ValueSet " + canonical);
      }
    } else {
      source = valueSet;
    }
    ValueSetExpansionOptions options = createValueSetExpansionOptions(storageSettings, offset, count,
        includeHierarchy, filter, displayLanguage);
    IValidationSupport.ValueSetExpansionOutcome outcome = new InMemoryTerminologyServerValidationSupport(context)
        .expandValueSet(new ValidationSupportContext(validationSupport), options, source);
    if (outcome == null || outcome.getValueSet() == null) {
      throw new InvalidRequestException("the ValueSet cannot be expanded: "
          + (outcome == null ? "unknown code system" : outcome.getError()));
    }
    ValueSet expanded = (ValueSet) outcome.getValueSet();
    if (filter != null && filter.getValue() != null && !filter.getValue().isBlank()) {
      // a text filter: codes whose code or display contains it, regardless of case
      String text = filter.getValue().trim().toLowerCase(java.util.Locale.ROOT);
      expanded.getExpansion().getContains().removeIf(c -> !(c.getCode() != null && c.getCode().toLowerCase(java.util.Locale.ROOT).contains(text))
          && !(c.getDisplay() != null && c.getDisplay().toLowerCase(java.util.Locale.ROOT).contains(text)));
      expanded.getExpansion().setTotal(expanded.getExpansion().getContains().size());
      expanded.getExpansion().addParameter().setName("filter").setValue(new org.hl7.fhir.r4.model.StringType(filter.getValue()));
    }
    ValueSet original = (ValueSet) source;
    if (original.getIdElement().hasIdPart()) {
      expanded.setId(original.getIdElement().toUnqualifiedVersionless());
    }
    return expanded;
  }
}
