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
import io.seedtrace.server.custody.FhirStore;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/**
 * The implants, newest first, a page at a time, each with the state of its latest verification.
 * Without a state filter the Procedures are paged in the database (sorted, offset and count); with
 * one, the page's implants come from the state table ({@link ImplantStates}), paged in SQL, after it
 * has worked off the changes written since its last refresh. Either way the reports, alarms and
 * patients of the page's rows are read with one search each ({@link ImplantRows}).
 */
public final class ImplantList {

  /** Changes the state table works off before a filtered page; more left over and the page says so. */
  static final int MAX_REFRESH = 5000;

  private final FhirStore store;
  private final ConsoleSearch search;
  private final ImplantRows rows;
  private final ImplantStates states;

  public ImplantList(FhirStore store, ConsoleSearch search, ImplantRows rows, ImplantStates states) {
    this.store = store;
    this.search = search;
    this.rows = rows;
    this.states = states;
  }

  /** What the person asked for. */
  public record Query(LocalDate from, LocalDate to, String patient, VerificationStatus status, int offset, int size) {}

  /**
   * A page: its rows, the offset of the next page (or -1 when there is none), and whether the state
   * table still had changes to work off when a state filter read it (the page may then miss some).
   */
  public record Page(List<ImplantRow> rows, int nextOffset, boolean statesBehind) {}

  public Page page(Query query) {
    if (query.offset() > ConsoleSearch.MAX_OFFSET) {
      throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
          "Lists go " + ConsoleSearch.MAX_OFFSET + " rows deep; narrow the filter to see further.");
    }
    return query.status() == null ? unfiltered(query) : byState(query);
  }

  private Page unfiltered(Query query) {
    List<Procedure> procedures = procedures(query, query.offset(), query.size() + 1);
    boolean more = procedures.size() > query.size();
    List<ImplantRow> page = rows.of(more ? procedures.subList(0, query.size()) : procedures);
    return new Page(page, more ? query.offset() + query.size() : -1, false);
  }

  private Page byState(Query query) {
    boolean current = states.refresh(MAX_REFRESH);
    List<String> patients = query.patient() == null || query.patient().isBlank() ? null
        : patients(query.patient().trim()).getValuesAsQueryTokens().stream().map(ReferenceParam::getValue).toList();
    List<String> ids = states.page(new ImplantStates.Filter(query.status(), query.from(), query.to(), patients),
        query.offset(), query.size() + 1);
    boolean more = ids.size() > query.size();
    List<ImplantRow> page = rows.of(states.procedures(more ? ids.subList(0, query.size()) : ids));
    return new Page(page, more ? query.offset() + query.size() : -1, !current);
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
}
