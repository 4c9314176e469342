package io.seedtrace.server.console;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of a search in the FHIR store, for the console's lists: the database sorts and returns
 * the first {@code offset + count} matches and the page is cut from them, so pages deep into a
 * long list cost more; lists stop at {@link #MAX_OFFSET} (narrow the filter to go further).
 */
public final class ConsoleSearch {

  /** The deepest row a list pages to. */
  public static final int MAX_OFFSET = 10_000;

  private final DaoRegistry daos;

  public ConsoleSearch(DaoRegistry daos) {
    this.daos = daos;
  }

  /** At most {@code count} resources from {@code offset} on, in the map's sort order. */
  @SuppressWarnings("unchecked")
  public <T extends IBaseResource> List<T> page(Class<T> type, SearchParameterMap map, int offset, int count) {
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new org.springframework.web.server.ResponseStatusException(org.springframework.http.HttpStatus.BAD_REQUEST,
          "Lists go " + MAX_OFFSET + " rows deep; narrow the filter to see further.");
    }
    map.setLoadSynchronousUpTo(offset + count);
    IBundleProvider found = daos.getResourceDao(type).search(map, new SystemRequestDetails());
    int available = found.size() == null ? offset + count : found.size();
    return offset >= available ? List.of()
        : (List<T>) (List<?>) found.getResources(offset, Math.min(available, offset + count));
  }
}
