package io.seedtrace.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportRequestTest {

  private static final Set<String> KNOWN = Set.of("Patient", "Observation", "Device", "StructureDefinition", "Group");
  private static final ExportRequest.Types SYSTEM = new ExportRequest.Types(KNOWN, KNOWN,
      type -> !type.equals("StructureDefinition"));
  private static final ExportRequest.Types PATIENT = new ExportRequest.Types(KNOWN,
      Set.of("Patient", "Observation", "Device", "Group"), type -> true);
  private static final Set<String> NURSE_READS = Set.of("Patient", "Observation", "Device", "StructureDefinition");

  private static ExportRequest check(ExportRequest.Types types, Map<String, List<String>> parameters, String prefer) {
    return ExportRequest.check(ExportJob.Level.SYSTEM, parameters, prefer, types, NURSE_READS);
  }

  @Test
  void withoutTypeEveryReadableTypeButTheConformanceResourcesIsExported() {
    assertThat(check(SYSTEM, Map.of(), "respond-async").types()).containsExactly("Device", "Observation", "Patient");
    assertThat(check(PATIENT, Map.of(), "respond-async").types()).containsExactly("Device", "Observation", "Patient");
  }

  @Test
  void typeNamesTheTypesOnceEachRepeatedOrCommaSeparated() {
    ExportRequest request = check(SYSTEM, Map.of("_type", List.of("Observation, Patient", "Observation")),
        "respond-async");
    assertThat(request.types()).containsExactly("Observation", "Patient");
  }

  @Test
  void aTypeTheCallerMayNotReadIsRefusedNotSilentlyDropped() {
    assertThatThrownBy(() -> check(SYSTEM, Map.of("_type", List.of("Patient,Group")), "respond-async"))
        .isInstanceOf(ForbiddenOperationException.class).hasMessageContaining("Group");
    assertThatThrownBy(() -> ExportRequest.check(ExportJob.Level.SYSTEM, Map.of(), "respond-async", SYSTEM,
        Set.of("StructureDefinition"))).isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void sinceIsAnInstantWithItsZoneAndAnUnencodedPlusIsTakenBack() {
    assertThat(check(SYSTEM, Map.of("_since", List.of("2026-12-01T10:00:00 01:00")), "respond-async").since())
        .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    assertThat(check(SYSTEM, Map.of("_since", List.of("2026-12-01T10:00:00.123Z")), "respond-async").since())
        .isEqualTo(Instant.parse("2026-12-01T10:00:00.123Z"));
  }

  @Test
  void unsupportedParametersAreIgnoredOnlyWhenTheClientAsksForLenientHandling() {
    Map<String, List<String>> filtered = Map.of("_typeFilter", List.of("Patient?active=true"));
    assertThatThrownBy(() -> check(SYSTEM, filtered, "respond-async")).isInstanceOf(InvalidRequestException.class);
    assertThat(check(SYSTEM, filtered, "respond-async, handling=lenient").types()).contains("Patient");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "synchronous | _type | Patient | respond-sync",
      "unknown type | _type | Patients | respond-async",
      "empty since | _since | '' | respond-async",
      "date only | _since | 2026-12-01 | respond-async",
      "no zone | _since | 2026-12-01T10:00:00 | respond-async",
      "csv | _outputFormat | text/csv | respond-async",
      "elements | _elements | id | respond-async"})
  void badRequestsAre400(String what, String name, String value, String prefer) {
    assertThatThrownBy(() -> check(SYSTEM, Map.of(name, List.of(value)), prefer))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aPatientExportIsLimitedToThePatientCompartment() {
    assertThatThrownBy(() -> ExportRequest.check(ExportJob.Level.PATIENT, Map.of("_type", List.of("StructureDefinition")),
        "respond-async", PATIENT, NURSE_READS)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("compartment");
  }

  @Test
  void ndjsonMayBeNamedByItsAbbreviations() {
    for (String format : List.of("application/fhir+ndjson", "application/ndjson", "ndjson")) {
      assertThat(check(SYSTEM, Map.of("_outputFormat", List.of(format)), "respond-async").types()).isNotEmpty();
    }
  }
}
