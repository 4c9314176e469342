package io.seedtrace.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.PrePatchDetails;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;

/**
 * The one place that hides resources labelled restricted ({@code meta.security} v3-Confidentiality
 * {@code R} or {@code V}), such as the administrator's messages about rotated trace keys, from
 * every caller but the {@code admin} role, for every interaction:
 * <ul>
 *   <li>searches of any kind ({@code _id}, {@code _summary=count}, conditional URLs resolved by a
 *       search, {@code _include}d and paged results) get {@code _security:not=...|R} and
 *       {@code |V} added, so hidden resources are neither returned nor counted; a search whose
 *       chains or {@code _has} reach a type that holds restricted resources is refused (403), as
 *       the join would test them;</li>
 *   <li>read, vread, history (instance, type and server) and anything else that loads a stored
 *       resource for a caller drop it ({@link Pointcut#STORAGE_PREACCESS_RESOURCES}); a read answers
 *       404 as if it did not exist, and a history bundle carries no total (it would count them);</li>
 *   <li>patch (before the patch is applied, so a {@code test} op is no oracle), update and delete
 *       of a restricted resource answer 404; a non-admin create or update that would carry the label
 *       is refused (403);</li>
 *   <li>a response that still contains a restricted resource (an operation's output) is refused
 *       (403) rather than sent.</li>
 * </ul>
 * Requests the server makes itself ({@link SystemRequestDetails}, e.g. the custody operations
 * storing an administrator message during a nurse's call) are not filtered.
 */
@Interceptor
public class RestrictedResourceGuard {

  /** HL7 v3 Confidentiality, whose codes R (restricted) and V (very restricted) hide a resource. */
  public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
  private static final List<String> HIDDEN_CODES = List.of("R", "V");
  private static final Set<RestOperationTypeEnum> HISTORY = EnumSet.of(RestOperationTypeEnum.HISTORY_INSTANCE,
      RestOperationTypeEnum.HISTORY_TYPE, RestOperationTypeEnum.HISTORY_SYSTEM);

  /** Whether a resource carries a label that hides it from non-admins. */
  public static boolean isRestricted(IBaseResource resource) {
    return resource != null && HIDDEN_CODES.stream()
        .anyMatch(code -> resource.getMeta().getSecurity(CONFIDENTIALITY, code) != null);
  }

  private final SearchReach reach;
  private final DaoRegistry daos;

  public RestrictedResourceGuard(SearchReach reach, DaoRegistry daos) {
    this.reach = reach;
    this.daos = daos;
  }

  @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
  public void excludeFromSearch(RequestDetails request, SearchParameterMap map, ICachedSearchDetails search) {
    if (privileged(request)) {
      return;
    }
    // A chain or _has joins other resources without this filter: refused when it would test hidden ones.
    String searched = search != null && search.getResourceType() != null ? search.getResourceType()
        : request == null ? null : request.getResourceName();
    for (String type : reach.typesReached(searched, map)) {
      if (type.equals(SearchReach.ANY) || holdsRestricted(type)) {
        throw new ForbiddenOperationException("the search tests " + (type.equals(SearchReach.ANY) ? "resources" : type)
            + " through chained or _has parameters, and some of them are restricted");
      }
    }
    excludeRestricted(map);
  }

  /**
   * Adds {@code _security:not=...|R} and {@code |V} to a search, so restricted resources are neither
   * returned nor counted: for searches the server runs for a non-admin caller outside a request
   * (bulk export), which this interceptor does not see.
   */
  public static void excludeRestricted(SearchParameterMap map) {
    for (String code : HIDDEN_CODES) {
      map.add("_security", new TokenParam(CONFIDENTIALITY, code).setModifier(TokenParamModifier.NOT));
    }
  }

  private boolean holdsRestricted(String type) {
    if (!daos.isResourceTypeSupported(type)) {
      return false;
    }
    TokenOrListParam hidden = new TokenOrListParam();
    HIDDEN_CODES.forEach(code -> hidden.addOr(new TokenParam(CONFIDENTIALITY, code)));
    SearchParameterMap any = SearchParameterMap.newSynchronous().add("_security", hidden);
    any.setCount(1);
    return !daos.getResourceDao(type).search(any, new SystemRequestDetails()).getResources(0, 1).isEmpty();
  }

  @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
  public void dropLoaded(IPreResourceAccessDetails details, RequestDetails request) {
    if (privileged(request)) {
      return;
    }
    for (int i = 0; i < details.size(); i++) {
      if (isRestricted(details.getResource(i))) {
        details.setDontReturnResourceAtIndex(i);
      }
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_PREPATCH)
  public void refusePatch(PrePatchDetails patch, RequestDetails request) {
    if (!privileged(request) && isRestricted(patch.getResource())) {
      throw notFound(patch.getResource());
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void refuseLabelOnCreate(IBaseResource created, RequestDetails request) {
    if (!privileged(request) && isRestricted(created)) {
      throw new ForbiddenOperationException("only the admin role may store a resource labelled restricted");
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void refuseUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
    if (privileged(request)) {
      return;
    }
    if (isRestricted(previous)) {
      throw notFound(previous);
    }
    if (isRestricted(updated)) {
      throw new ForbiddenOperationException("only the admin role may store a resource labelled restricted");
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void refuseDelete(IBaseResource deleted, RequestDetails request) {
    if (!privileged(request) && isRestricted(deleted)) {
      throw notFound(deleted);
    }
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void refuseLeakingResponse(RequestDetails request, ResponseDetails response) {
    if (privileged(request)) {
      return;
    }
    if (containsRestricted(response.getResponseResource())) {
      throw new ForbiddenOperationException("the response would contain a resource labelled restricted");
    }
    // A history total counts every stored version, hidden ones included: leave it out.
    if (HISTORY.contains(request.getRestOperationType()) && response.getResponseResource() instanceof Bundle bundle) {
      bundle.setTotalElement(null);
    }
  }

  private static boolean containsRestricted(IBaseResource resource) {
    if (isRestricted(resource)) {
      return true;
    }
    if (resource instanceof Bundle bundle) {
      return bundle.getEntry().stream().anyMatch(e -> containsRestricted(e.getResource())
          || e.hasResponse() && containsRestricted(e.getResponse().getOutcome()));
    }
    if (resource instanceof Parameters parameters) {
      return parameters.getParameter().stream().anyMatch(RestrictedResourceGuard::containsRestricted);
    }
    return false;
  }

  private static boolean containsRestricted(Parameters.ParametersParameterComponent parameter) {
    return containsRestricted(parameter.getResource())
        || parameter.getPart().stream().anyMatch(RestrictedResourceGuard::containsRestricted);
  }

  private static ResourceNotFoundException notFound(IBaseResource resource) {
    return new ResourceNotFoundException(resource.getIdElement().toUnqualifiedVersionless());
  }

  private static boolean privileged(RequestDetails request) {
    return request instanceof SystemRequestDetails || CallerRights.current().seesRestricted();
  }
}
