package io.seedtrace.server.console.report;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import io.seedtrace.server.store.FhirStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Reference;

/** The SeedAlerts (DetectedIssue) that implicate verification reports, read with one search. */
public final class Alarms {

  private Alarms() {}

  /** The alarms of each report, by report id. */
  public static Map<String, List<DetectedIssue>> byReport(FhirStore store, Collection<DiagnosticReport> reports) {
    Map<String, List<DetectedIssue>> byReport = new HashMap<>();
    if (reports.isEmpty()) {
      return byReport;
    }
    ReferenceOrListParam refs = new ReferenceOrListParam();
    for (DiagnosticReport r : reports) {
      refs.addOr(new ReferenceParam("DiagnosticReport/" + r.getIdElement().getIdPart()));
      byReport.put(r.getIdElement().getIdPart(), new ArrayList<>());
    }
    for (DetectedIssue issue : store.search(DetectedIssue.class, new SearchParameterMap().add("implicated", refs))) {
      for (Reference implicated : issue.getImplicated()) {
        String ref = implicated.getReference();
        if (ref != null && ref.startsWith("DiagnosticReport/")) {
          List<DetectedIssue> list = byReport.get(ref.substring("DiagnosticReport/".length()));
          if (list != null) {
            list.add(issue);
          }
        }
      }
    }
    return byReport;
  }

  /** The alarm kinds (SeedAlert codes) of each report, by report id. */
  public static Map<String, List<String>> kindsByReport(FhirStore store, Collection<DiagnosticReport> reports) {
    Map<String, List<String>> kinds = new HashMap<>();
    byReport(store, reports).forEach((id, issues) -> kinds.put(id, issues.stream().map(Alarms::kind).toList()));
    return kinds;
  }

  /** An alarm's kind, e.g. {@code count-mismatch}. */
  public static String kind(DetectedIssue issue) {
    return issue.getCode().getCodingFirstRep().getCode();
  }
}
