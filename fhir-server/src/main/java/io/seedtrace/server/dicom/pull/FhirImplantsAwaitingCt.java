package io.seedtrace.server.dicom.pull;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.routes.pull.AwaitedImplant;
import io.seedtrace.routes.pull.ImplantsAwaitingCt;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/**
 * The implants (SeedImplantProcedure) in the FHIR store without a verification: none of their
 * imaged seed counts (Observation {@code seed-count-imaged} part of the procedure, which every
 * verification report carries) exists. The DICOM Patient ID is the patient's identifier of the
 * configured system, else its first. One search reads the newest {@value #PAGE} implants of the
 * window: an implant is looked at when it has just passed its deadline, as one of the newest, and
 * is then in the pull ledger; more than that many implants within one poll period would be missed.
 */
public final class FhirImplantsAwaitingCt implements ImplantsAwaitingCt {

  /** Procedures read per search (the date window keeps them few). */
  private static final int PAGE = 200;

  private final FhirStore store;
  private final String patientIdSystem;

  public FhirImplantsAwaitingCt(FhirStore store, String patientIdSystem) {
    this.store = store;
    this.patientIdSystem = patientIdSystem;
  }

  @Override
  public List<AwaitedImplant> unverified(Instant from, Instant to, Set<String> known, int max) {
    SearchParameterMap map = new SearchParameterMap().add("date", new DateRangeParam(
        new DateParam("ge" + new ca.uhn.fhir.model.primitive.InstantDt(Date.from(from)).getValueAsString()),
        new DateParam("le" + new ca.uhn.fhir.model.primitive.InstantDt(Date.from(to)).getValueAsString())));
    map.setSort(new SortSpec("date", SortOrderEnum.DESC));
    map.setCount(PAGE);
    List<Procedure> implants = store.search(Procedure.class, map).stream()
        .filter(p -> p.getMeta().hasProfile(CustodyCodes.PROFILE_IMPLANT) && p.hasPerformedDateTimeType())
        .filter(p -> p.getStatus() != Procedure.ProcedureStatus.ENTEREDINERROR
            && p.getStatus() != Procedure.ProcedureStatus.NOTDONE)
        .filter(p -> !known.contains(ref(p)))
        .toList();
    Set<String> verified = verified(implants);
    List<AwaitedImplant> awaited = new ArrayList<>();
    for (Procedure p : implants) {
      String ref = ref(p);
      if (verified.contains(ref)) {
        continue;
      }
      awaited.add(new AwaitedImplant(ref, dicomPatientId(p.getSubject().getReference()),
          p.getPerformedDateTimeType().getValue().toInstant()));
      if (awaited.size() == max) {
        break;
      }
    }
    return awaited;
  }

  @Override
  public boolean stillUnverified(String procedure) {
    return !verified(List.of(store.read(Procedure.class, procedure))).contains(procedure);
  }

  /** The procedures among these that a verification report counts seeds for. */
  private Set<String> verified(List<Procedure> procedures) {
    Set<String> verified = new HashSet<>();
    if (procedures.isEmpty()) {
      return verified;
    }
    ReferenceOrListParam refs = new ReferenceOrListParam();
    procedures.forEach(p -> refs.addOr(new ReferenceParam(ref(p))));
    for (Observation o : store.search(Observation.class, new SearchParameterMap().add("part-of", refs)
        .add("code", new TokenParam(CustodyCodes.CS, "seed-count-imaged")))) {
      o.getPartOf().forEach(r -> verified.add(r.getReference()));
    }
    return verified;
  }

  private String dicomPatientId(String patientRef) {
    if (patientRef == null || !patientRef.startsWith("Patient/")) {
      return null;
    }
    Patient patient = store.readOptional(Patient.class, patientRef).orElse(null);
    if (patient == null) {
      return null;
    }
    return patient.getIdentifier().stream()
        .filter(i -> patientIdSystem.isBlank() || patientIdSystem.equals(i.getSystem()))
        .map(Identifier::getValue).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
  }

  private static String ref(Procedure p) {
    return "Procedure/" + p.getIdElement().getIdPart();
  }
}
