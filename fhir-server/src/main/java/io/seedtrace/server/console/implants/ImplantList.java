package io.seedtrace.server.console.implants;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.console.ConsoleSearch;
import io.seedtrace.server.store.FhirStore;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The implants, newest first, a page at a time, each with the state of its latest verification.
 * The page's implants come from the implant table ({@link ImplantStates}), filtered, sorted and paged
 * in SQL after the table has worked off the changes written since its last refresh; the reports,
 * alarms and patients of the page's rows are then read with one search each ({@link ImplantRows}).
 */
public final class ImplantList {

  /** Changes the implant table works off before a page; more left over and the page says so. */
  static final int MAX_REFRESH = 5000;

  private final FhirStore store;
  private final ImplantRows rows;
  private final ImplantStates states;

  public ImplantList(FhirStore store, ImplantRows rows, ImplantStates states) {
    this.store = store;
    this.rows = rows;
    this.states = states;
  }

  /** What the person asked for. */
  public record Query(LocalDate from, LocalDate to, String patient, VerificationStatus status, int offset, int size) {}

  /**
   * A page: its rows, the offset of the next page (or -1 when there is none), and whether the
   * implant table still had changes to work off when it was read (the page may then miss some).
   */
  public record Page(List<ImplantRow> rows, int nextOffset, boolean statesBehind) {}

  /** @throws ResponseStatusException 400 for an offset beyond {@link ConsoleSearch#MAX_OFFSET} */
  public Page page(Query query) {
    if (query.offset() < 0 || query.offset() > ConsoleSearch.MAX_OFFSET) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "Lists go " + ConsoleSearch.MAX_OFFSET + " rows deep; narrow the filter to see further.");
    }
    boolean current = states.refresh(MAX_REFRESH);
    List<String> patients = query.patient() == null || query.patient().isBlank() ? null
        : patients(query.patient().trim()).getValuesAsQueryTokens().stream().map(ReferenceParam::getValue).toList();
    List<String> ids = states.page(new ImplantStates.Filter(query.status(), query.from(), query.to(), patients),
        query.offset(), query.size() + 1);
    boolean more = ids.size() > query.size();
    List<ImplantRow> page = rows.of(states.procedures(more ? ids.subList(0, query.size()) : ids));
    return new Page(page, more ? query.offset() + query.size() : -1, !current);
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
