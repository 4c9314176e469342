package io.seedtrace.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compartment search ({@code GET /fhir/Patient/123/DetectedIssue?status=final}), which HAPI's JPA
 * providers do not answer, turned into the ordinary search it stands for
 * ({@code GET /fhir/DetectedIssue?patient=Patient/123&status=final}) before HAPI picks its method.
 * Being a plain search from then on, it is checked by the role matrix, paged and audited like one.
 *
 * <p>The search parameter is the one of the target type that puts it in the owner's compartment
 * and is named after the owner ({@code patient}), else {@code subject}, else the first such
 * parameter: a resource that is in a compartment only through another parameter (an Observation
 * whose {@code performer} is the patient) is not found this way.
 */
final class CompartmentSearch {

  private CompartmentSearch() {}

  /**
   * Rewrites a compartment search in place; other requests are left alone.
   *
   * @throws InvalidRequestException (400) for an unknown type or one outside the owner's compartment
   */
  static void rewrite(FhirContext context, RequestDetails request) {
    String target = request.getCompartmentName();
    String owner = request.getResourceName();
    if (target == null || owner == null || request.getId() == null || request.getOperation() != null
        || request.getRequestType() != RequestTypeEnum.GET) {
      return;
    }
    if (!context.getResourceTypes().contains(target)) {
      throw new InvalidRequestException("unknown resource type " + target + " in the compartment search "
          + owner + "/" + request.getId().getIdPart() + "/" + target);
    }
    String parameter = compartmentParameter(context, owner, target).orElseThrow(() -> new InvalidRequestException(
        target + " resources are not in the " + owner + " compartment; search " + target + " directly"));
    Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
    String reference = owner + "/" + request.getId().getIdPart();
    String[] given = parameters.getOrDefault(parameter, new String[0]);
    String[] values = java.util.Arrays.copyOf(given, given.length + 1);
    values[given.length] = reference;
    parameters.put(parameter, values);
    request.setParameters(parameters);
    request.setResourceName(target);
    request.setId(null);
    request.setCompartmentName(null);
  }

  private static Optional<String> compartmentParameter(FhirContext context, String owner, String target) {
    List<String> names = context.getResourceDefinition(target).getSearchParamsForCompartmentName(owner).stream()
        .map(RuntimeSearchParam::getName).toList();
    for (String preferred : List.of(owner.toLowerCase(java.util.Locale.ROOT), "subject")) {
      if (names.contains(preferred)) {
        return Optional.of(preferred);
      }
    }
    return names.stream().findFirst();
  }
}
