package io.seedtrace.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Which resources are patient data: a Patient, and a resource of a type in the FHIR Patient
 * compartment that names its patient (through the compartment's search parameters, e.g.
 * {@code Observation.subject}, {@code Device.patient}).
 */
final class PatientLinks {

  private static final String PATIENT = "Patient";

  private final FhirContext fhir;
  private final FhirTerser terser;
  private final Map<String, Boolean> linkedTypes = new ConcurrentHashMap<>();

  PatientLinks(FhirContext fhir) {
    this.fhir = fhir;
    this.terser = fhir.newTerser();
  }

  /** Whether resources of this type can belong to a patient ({@code false} for none or an unknown type). */
  boolean patientLinked(String type) {
    return type != null && linkedTypes.computeIfAbsent(type, this::inCompartment);
  }

  /** The patients a resource belongs to, as {@code Patient/id}; empty when it is not patient data. */
  List<String> patientsOf(IBaseResource resource) {
    String type = fhir.getResourceType(resource);
    if (PATIENT.equals(type)) {
      return resource.getIdElement().hasIdPart() ? List.of(PATIENT + "/" + resource.getIdElement().getIdPart()) : List.of();
    }
    if (!patientLinked(type)) {
      return List.of();
    }
    return terser.getCompartmentOwnersForResource(PATIENT, resource, Set.of()).stream()
        .filter(id -> id.hasIdPart() && (!id.hasResourceType() || PATIENT.equals(id.getResourceType())))
        .map(PatientLinks::patientReference).distinct().toList();
  }

  private static String patientReference(IIdType id) {
    return id.hasBaseUrl() ? id.toUnqualifiedVersionless().withServerBase(id.getBaseUrl(), PATIENT).getValue()
        : PATIENT + "/" + id.getIdPart();
  }

  private boolean inCompartment(String type) {
    if (PATIENT.equals(type)) {
      return true;
    }
    try {
      return !fhir.getResourceDefinition(type).getSearchParamsForCompartmentName(PATIENT).isEmpty();
    } catch (DataFormatException unknownType) {
      return false;
    }
  }
}
