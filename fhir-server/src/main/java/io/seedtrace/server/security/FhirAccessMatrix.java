package io.seedtrace.server.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Which role may read and write which FHIR resource types. This table is the single source of the
 * matrix documented in {@code docs/security.md}; {@link #ALL} stands for every type.
 *
 * <p>Conformance resources (profiles, terminology, search parameters) are readable by every role
 * and writable by the administrator only. AuditEvent and Provenance are written by the server
 * itself and read by the auditor and the administrator; the EHR system also reads Provenance.
 * Deletes are reserved to the administrator.
 */
public final class FhirAccessMatrix {

  /** Stands for "every resource type". */
  public static final String ALL = "*";

  static final Set<String> CONFORMANCE = Set.of(
      "CapabilityStatement", "StructureDefinition", "CodeSystem", "ValueSet", "ConceptMap",
      "SearchParameter", "ImplementationGuide", "NamingSystem", "OperationDefinition");

  private static final Set<String> CLINICAL_READ = Set.of(
      "Patient", "Practitioner", "PractitionerRole", "Organization", "Location", "Encounter",
      "DeviceDefinition", "Device", "SupplyRequest", "SupplyDelivery", "Procedure", "Observation",
      "DiagnosticReport", "DetectedIssue", "Flag", "ImagingStudy", "ServiceRequest", "Task",
      "Communication", "DocumentReference", "Binary", "CarePlan");

  /** A role's rights: types it may read and types it may create or update. */
  public record Rights(Set<String> read, Set<String> write, boolean delete) {
    public boolean canRead(String type) {
      return read.contains(ALL) || read.contains(type) || CONFORMANCE.contains(type);
    }

    public boolean canWrite(String type) {
      return write.contains(ALL) || write.contains(type);
    }
  }

  private static final Map<Role, Rights> MATRIX = new EnumMap<>(Role.class);

  static {
    MATRIX.put(Role.ADMIN, new Rights(Set.of(ALL), Set.of(ALL), true));
    MATRIX.put(Role.AUDITOR, new Rights(Set.of(ALL), Set.of(), false));
    MATRIX.put(Role.MANUFACTURER, new Rights(
        Set.of("Organization", "Location", "DeviceDefinition", "Device", "SupplyRequest",
            "SupplyDelivery", "Observation", "DetectedIssue", "Task"),
        Set.of("Organization", "DeviceDefinition", "Device", "SupplyDelivery", "Observation", "Task"),
        false));
    MATRIX.put(Role.LOGISTICS, new Rights(
        Set.of("Organization", "Location", "Device", "DeviceDefinition", "SupplyRequest",
            "SupplyDelivery", "Task"),
        Set.of("SupplyDelivery", "Location", "Task"),
        false));
    MATRIX.put(Role.NURSE, new Rights(
        CLINICAL_READ,
        Set.of("Device", "SupplyRequest", "Observation", "Task"),
        false));
    MATRIX.put(Role.PHYSICIAN, new Rights(
        CLINICAL_READ,
        Set.of("Patient", "Encounter", "Procedure", "Observation", "DetectedIssue", "Flag",
            "ServiceRequest", "SupplyRequest", "CarePlan", "Communication", "Task"),
        false));
    MATRIX.put(Role.PHYSICIST, new Rights(
        CLINICAL_READ,
        Set.of("Observation", "DiagnosticReport", "ImagingStudy", "DetectedIssue", "Flag",
            "DocumentReference", "Binary", "Task"),
        false));
    // an EHR also reads where the results it received came from (Provenance of a report or alarm)
    MATRIX.put(Role.EHR_SYSTEM, new Rights(
        union(CLINICAL_READ, Set.of("Provenance")),
        Set.of("Patient", "Encounter", "Practitioner", "PractitionerRole", "Organization", "Location",
            "ServiceRequest", "Procedure"),
        false));
    // a PACS stores images (DICOMweb STOW-RS) and reads nothing over FHIR
    MATRIX.put(Role.PACS, new Rights(Set.of(), Set.of(), false));
  }

  /**
   * Custody operations and the roles that may invoke them (the administrator may invoke all).
   * Operations on Device: {@code $chip-read} (type level), {@code $assemble}, {@code $seal},
   * {@code $trace}, {@code $rotated-trace-key} (instance level); server level: {@code $verify-audit-chain},
   * {@code $malicious-nodes}.
   */
  private static final Map<String, Set<Role>> OPERATIONS = Map.of(
      "chip-read", Set.of(Role.NURSE, Role.LOGISTICS),
      "assemble", Set.of(Role.NURSE, Role.PHYSICIST, Role.PHYSICIAN),
      "seal", Set.of(Role.NURSE, Role.PHYSICIAN),
      "trace", Set.of(Role.PHYSICIAN, Role.NURSE, Role.AUDITOR),
      "verify-audit-chain", Set.of(Role.AUDITOR),
      "malicious-nodes", Set.of(),
      "verifications", Set.of(Role.AUDITOR, Role.PHYSICIST),
      "ehr-outbox", Set.of(),
      "rotated-trace-key", Set.of());

  /**
   * Roles that may create R4 Subscriptions (rest-hook notifications of alarms and results; see
   * {@link SubscriptionGuard} for what they may subscribe to); the administrator may do anything.
   */
  public static final Set<Role> SUBSCRIBERS = Set.of(Role.EHR_SYSTEM);

  /**
   * The Bulk Data status and download operations ({@code $export} itself is on the server, the
   * Patient type and Group instances); open to every role, each checks its caller itself.
   */
  public static final Set<String> BULK_EXPORT_STATUS_OPERATIONS = Set.of("$export-poll-status", "$export-file");

  /** Conformance resources describe the server, not patients: readable by every role. */
  public static boolean isConformance(String type) {
    return CONFORMANCE.contains(type);
  }

  /** Operations at server level (the others are on Device). */
  static final Set<String> SERVER_OPERATIONS = Set.of("verify-audit-chain", "malicious-nodes", "verifications",
      "ehr-outbox");
  /** Operations on the Device type (the others are on Device instances). */
  static final Set<String> TYPE_OPERATIONS = Set.of("chip-read");

  public static Map<String, Set<Role>> operations() {
    return OPERATIONS;
  }

  private FhirAccessMatrix() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  public static Rights rightsOf(Role role) {
    return MATRIX.get(role);
  }

  /** The roles that may read resources of this type (e.g. ImagingStudy: who may see images). */
  public static Set<Role> readersOf(String type) {
    Set<Role> readers = java.util.EnumSet.noneOf(Role.class);
    MATRIX.forEach((role, rights) -> {
      if (rights.read().contains(ALL) || rights.read().contains(type)) {
        readers.add(role);
      }
    });
    return readers;
  }
}
