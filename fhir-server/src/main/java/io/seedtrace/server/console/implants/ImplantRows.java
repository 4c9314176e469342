package io.seedtrace.server.console.implants;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.console.report.Alarms;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * The rows of a set of implants: each Procedure with the state of its latest verification, worked
 * out from its imaged count, its report and the report's alarms, read with one search each for the
 * whole set (so callers pass at most a page or a batch of about 100).
 */
public final class ImplantRows {

  private final FhirStore store;

  public ImplantRows(FhirStore store) {
    this.store = store;
  }

  /** One row per procedure, in the procedures' order. */
  public List<ImplantRow> of(List<Procedure> procedures) {
    Map<String, DiagnosticReport> reports = latestReports(procedures);
    Map<String, List<String>> alarms = Alarms.kindsByReport(store, reports.values());
    List<ImplantRow> rows = new ArrayList<>();
    for (Procedure p : procedures) {
      String ref = "Procedure/" + p.getIdElement().getIdPart();
      DiagnosticReport report = reports.get(ref);
      String reportId = report == null ? null : report.getIdElement().getIdPart();
      rows.add(new ImplantRow(p.getIdElement().getIdPart(),
          p.hasPerformedDateTimeType() ? p.getPerformedDateTimeType().getValue() : null,
          p.getSubject().getReference(), cartridgeId(p), status(report, reportId == null ? List.of() : alarms.get(reportId)),
          reportId, report == null || !report.hasResultsInterpreter() ? null
              : report.getResultsInterpreterFirstRep().getDisplay()));
    }
    return rows;
  }

  private static String cartridgeId(Procedure p) {
    return p.getFocalDevice().stream().map(f -> f.getManipulated().getReference())
        .filter(r -> r != null && r.startsWith("Device/")).map(r -> r.substring("Device/".length())).findFirst()
        .orElse(null);
  }

  static VerificationStatus status(DiagnosticReport report, List<String> alarmKinds) {
    if (report == null) {
      return VerificationStatus.WAITING;
    }
    if (report.getStatus() == DiagnosticReport.DiagnosticReportStatus.PRELIMINARY) {
      return VerificationStatus.INCOMPLETE;
    }
    List<String> kinds = alarmKinds == null ? List.of() : alarmKinds;
    if (kinds.isEmpty()) {
      return VerificationStatus.VERIFIED;
    }
    return kinds.stream().allMatch("count-uncertain"::equals) ? VerificationStatus.COUNT_UNCERTAIN
        : VerificationStatus.ALARM;
  }

  /** Each procedure's latest report that stands (superseded ones are entered-in-error), by procedure reference. */
  private Map<String, DiagnosticReport> latestReports(List<Procedure> procedures) {
    Map<String, DiagnosticReport> latest = new HashMap<>();
    if (procedures.isEmpty()) {
      return latest;
    }
    ReferenceOrListParam procedureRefs = new ReferenceOrListParam();
    procedures.forEach(p -> procedureRefs.addOr(new ReferenceParam("Procedure/" + p.getIdElement().getIdPart())));
    List<Observation> imaged = store.search(Observation.class, new SearchParameterMap()
        .add("part-of", procedureRefs).add("code", new TokenParam(CustodyCodes.CS, "seed-count-imaged")));
    Map<String, String> procedureOf = new HashMap<>();
    ReferenceOrListParam observationRefs = new ReferenceOrListParam();
    for (Observation o : imaged) {
      String ref = "Observation/" + o.getIdElement().getIdPart();
      procedureOf.put(ref, o.getPartOfFirstRep().getReference());
      observationRefs.addOr(new ReferenceParam(ref));
    }
    if (imaged.isEmpty()) {
      return latest;
    }
    for (DiagnosticReport r : store.search(DiagnosticReport.class, new SearchParameterMap().add("result", observationRefs))) {
      if (r.getStatus() == DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR) {
        continue;
      }
      String procedure = r.getResult().stream().map(Reference::getReference).map(procedureOf::get)
          .filter(Objects::nonNull).findFirst().orElse(null);
      DiagnosticReport known = procedure == null ? null : latest.get(procedure);
      if (procedure != null && (known == null || r.getIssued().after(known.getIssued()))) {
        latest.put(procedure, r);
      }
    }
    return latest;
  }
}
