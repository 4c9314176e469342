package io.seedtrace.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.seedtrace.server.security.FhirAccessMatrix;
import java.util.Set;
import java.util.TreeSet;

/** The resource types each export level may contain, from the server's FHIR context and storage. */
final class ExportTypes {

  private ExportTypes() {}

  /** Every stored type; without {@code _type}, all but the conformance resources (they describe the server). */
  static ExportRequest.Types system(FhirContext context, DaoRegistry daos) {
    Set<String> stored = stored(context, daos);
    return new ExportRequest.Types(stored, stored, type -> !FhirAccessMatrix.isConformance(type));
  }

  /** Patient and the types of the Patient compartment (those with a search parameter naming the patient). */
  static ExportRequest.Types patientCompartment(FhirContext context, DaoRegistry daos) {
    Set<String> stored = stored(context, daos);
    Set<String> compartment = new TreeSet<>();
    for (String type : stored) {
      if (type.equals("Patient")
          || !context.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient").isEmpty()) {
        compartment.add(type);
      }
    }
    return new ExportRequest.Types(stored, Set.copyOf(compartment), type -> true);
  }

  private static Set<String> stored(FhirContext context, DaoRegistry daos) {
    Set<String> stored = new TreeSet<>();
    for (String type : context.getResourceTypes()) {
      if (daos.isResourceTypeSupported(type)) {
        stored.add(type);
      }
    }
    return Set.copyOf(stored);
  }
}
