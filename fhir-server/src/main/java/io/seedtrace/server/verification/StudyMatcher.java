package io.seedtrace.server.verification;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/**
 * Finds the SeedImplantProcedure a post-operative CT belongs to: by the accession number the
 * procedure announced; otherwise by the DICOM Patient ID (any identifier of the Patient) and an
 * implant performed within the match window before the study (or up to a day after, for clocks
 * that disagree). With several candidates the most recent implant before the study wins.
 */
public final class StudyMatcher {

  /** How the study was matched, for the report. */
  public record Match(Procedure procedure, String how) {}

  private final FhirStore store;
  private final Duration window;

  public StudyMatcher(FhirStore store, Duration window) {
    this.store = store;
    this.window = window;
  }

  public Optional<Match> match(String accessionNumber, String patientId, Instant studyTime) {
    if (accessionNumber != null && !accessionNumber.isBlank()) {
      List<Procedure> byAccession = store.search(Procedure.class, new SearchParameterMap().add("identifier",
          new TokenParam(CustodyCodes.BASE + "sid/accession", accessionNumber))).stream()
          .filter(p -> p.getMeta().hasProfile(CustodyCodes.PROFILE_IMPLANT)).toList();
      if (!byAccession.isEmpty()) {
        return Optional.of(new Match(byAccession.get(0), "accession number " + accessionNumber));
      }
    }
    if (patientId == null || patientId.isBlank()) {
      return Optional.empty();
    }
    Instant earliest = studyTime.minus(window);
    Instant latest = studyTime.plus(Duration.ofDays(1));
    for (Patient patient : store.search(Patient.class, new SearchParameterMap().add("identifier",
        new TokenParam(null, patientId)))) {
      String ref = patient.getIdElement().toUnqualifiedVersionless().getValue();
      Optional<Procedure> best = store.search(Procedure.class, new SearchParameterMap().add("subject",
          new ReferenceParam(ref))).stream()
          .filter(p -> p.getMeta().hasProfile(CustodyCodes.PROFILE_IMPLANT) && p.hasPerformedDateTimeType())
          .filter(p -> {
            Instant performed = p.getPerformedDateTimeType().getValue().toInstant();
            return !performed.isBefore(earliest) && !performed.isAfter(latest);
          })
          .max(Comparator.comparing(p -> p.getPerformedDateTimeType().getValue()));
      if (best.isPresent()) {
        return Optional.of(new Match(best.get(), "patient " + patientId + " and implant date"));
      }
    }
    return Optional.empty();
  }
}
