package io.seedtrace.server.console.implants;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.console.ConsoleSearch;
import io.seedtrace.server.console.report.Alarms;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.custody.FhirStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

/**
 * The implants, newest first, a page at a time, each with the state of its latest verification.
 * Procedures are paged in the database (offset and count); the reports, alarms and patients of one
 * page are read with one search each. A status filter is applied to the rows read, scanning at most
 * {@link #MAX_SCAN} implants for one page, so a rare status never makes a request run long: the
 * page then says the scan stopped and offers to go on from there.
 */
public final class ImplantList {

  /** Implants looked at for one page when filtering by status. */
  static final int MAX_SCAN = 2000;

  private final FhirStore store;
  private final ConsoleSearch search;

  public ImplantList(FhirStore store, ConsoleSearch search) {
    this.store = store;
    this.search = search;
  }

  /** What the person asked for. */
  public record Query(LocalDate from, LocalDate to, String patient, VerificationStatus status, int offset, int size) {}

  /**
   * A page: its rows, the offset of the next page (or -1 when there is none), and whether a status
   * filter stopped scanning before it filled the page.
   */
  public record Page(List<ImplantRow> rows, int nextOffset, boolean scanStopped) {}

  public Page page(Query query) {
    List<ImplantRow> rows = new ArrayList<>();
    int offset = query.offset();
    int scanned = 0;
    while (rows.size() < query.size()) {
      int batch = query.status() == null ? query.size() + 1 - rows.size() : 100;
      List<Procedure> procedures = procedures(query, offset, batch);
      List<ImplantRow> found = rows(procedures);
      for (int i = 0; i < found.size(); i++) {
        offset++;
        ImplantRow row = found.get(i);
        if (query.status() != null && row.status() != query.status()) {
          continue;
        }
        if (rows.size() == query.size()) {
          return new Page(rows, offset - 1, false); // a further match exists: the next page starts here
        }
        rows.add(row);
      }
      scanned += procedures.size();
      if (procedures.size() < batch) {
        return new Page(rows, -1, false);
      }
      if (query.status() != null && scanned >= MAX_SCAN) {
        return new Page(rows, offset, true);
      }
    }
    return new Page(rows, hasMore(query, offset) ? offset : -1, false);
  }

  private boolean hasMore(Query query, int offset) {
    if (query.status() != null) {
      return true; // the next page will tell; a filtered scan cannot know cheaply
    }
    return !procedures(query, offset, 1).isEmpty();
  }

  private List<Procedure> procedures(Query query, int offset, int count) {
    SearchParameterMap map = new SearchParameterMap();
    if (query.from() != null || query.to() != null) {
      map.add("date", new DateRangeParam(
          query.from() == null ? null : new DateParam("ge" + query.from()),
          query.to() == null ? null : new DateParam("le" + query.to())));
    }
    if (query.patient() != null && !query.patient().isBlank()) {
      map.add("subject", patients(query.patient().trim()));
    }
    map.setSort(new SortSpec("date", SortOrderEnum.DESC).setChain(new SortSpec("_id", SortOrderEnum.DESC)));
    return search.page(Procedure.class, map, offset, count);
  }

  /** Patients by identifier value or by id; a reference that matches nothing when none is found. */
  private ReferenceOrListParam patients(String wanted) {
    ReferenceOrListParam refs = new ReferenceOrListParam();
    SearchParameterMap byIdentifier = new SearchParameterMap().add("identifier", new TokenParam(null, wanted));
    byIdentifier.setCount(50);
    for (Patient p : store.search(Patient.class, byIdentifier)) {
      refs.addOr(new ReferenceParam("Patient/" + p.getIdElement().getIdPart()));
    }
    String id = wanted.replaceFirst("^Patient/", "");
    if (id.matches("[A-Za-z0-9.-]{1,64}")) {
      refs.addOr(new ReferenceParam("Patient/" + id));
    }
    if (refs.getValuesAsQueryTokens().isEmpty()) {
      refs.addOr(new ReferenceParam("Patient/none-found"));
    }
    return refs;
  }

  private List<ImplantRow> rows(List<Procedure> procedures) {
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
          .filter(java.util.Objects::nonNull).findFirst().orElse(null);
      DiagnosticReport known = procedure == null ? null : latest.get(procedure);
      if (procedure != null && (known == null || r.getIssued().after(known.getIssued()))) {
        latest.put(procedure, r);
      }
    }
    return latest;
  }
}
