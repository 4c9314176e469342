package io.seedtrace.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.server.subscription.AuditNotOffered;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What a non-admin may subscribe to: a notification carries the whole resource, and is sent by the
 * server (no role check, no {@link RestrictedResourceGuard} at delivery), so the criteria must name
 * one of the alarm and result types ({@link #SUBSCRIBABLE}, none of which holds restricted
 * resources) that the subscriber's roles may read. Subscriptions may be created by the roles in
 * {@link FhirAccessMatrix#SUBSCRIBERS}; reading, changing and deleting them is the administrator's.
 * Criteria on the audit and provenance records are refused to the administrator too (422; to
 * others, like any type outside {@link #SUBSCRIBABLE}, 403): those records are never offered to the
 * Subscriptions ({@link AuditNotOffered}).
 */
@Interceptor
public class SubscriptionGuard {

  static final Set<String> SUBSCRIBABLE = Set.of("DetectedIssue", "DiagnosticReport", "Observation", "Flag");

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void created(IBaseResource resource, RequestDetails request) {
    check(resource, request);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    check(resource, request);
  }

  private static void check(IBaseResource resource, RequestDetails request) {
    if (!(resource instanceof Subscription subscription) || request == null || request instanceof SystemRequestDetails) {
      return;
    }
    String criteria = subscription.getCriteria() == null ? "" : subscription.getCriteria().trim();
    String type = criteria.contains("?") ? criteria.substring(0, criteria.indexOf('?')) : criteria;
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    boolean admin = authentication != null && authentication.getAuthorities().stream()
        .anyMatch(a -> a.getAuthority().equals(Role.ADMIN.authority()));
    if (admin && AuditNotOffered.TYPES.contains(type)) {
      throw new UnprocessableEntityException("AuditEvent and Provenance records are not offered to Subscriptions;"
          + " the audit's live feed is syslog forwarding (docs/security.md)");
    }
    if (admin) {
      return;
    }
    boolean readable = authentication != null && authentication.getAuthorities().stream()
        .map(a -> Role.fromAuthority(a.getAuthority()))
        .flatMap(java.util.Optional::stream)
        .anyMatch(role -> FhirAccessMatrix.rightsOf(role).canRead(type));
    boolean chained = false;
    String query = criteria.contains("?") ? criteria.substring(criteria.indexOf('?') + 1) : "";
    for (String part : query.split("&")) {
      String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
      chained |= name.contains(".") || name.startsWith("_has") || name.equals("_filter");
    }
    if (!SUBSCRIBABLE.contains(type) || !readable || chained) {
      throw new ForbiddenOperationException("a subscription's criteria must be a search on one of "
          + new java.util.TreeSet<>(SUBSCRIBABLE) + " that your roles may read, without chains or _has");
    }
  }
}
