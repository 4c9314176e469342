package io.seedtrace.server.custody;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.store.FhirStore;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The custody rules on plain REST writes: a SeedOrder is checked ({@link OrderCheck}) before it is
 * stored and, when accepted, becomes active and is sent to the manufacturer after the commit; every
 * client create or update leaves an AuditEvent (in the hash chain) and a Provenance naming the
 * client, written once the request has succeeded.
 */
@Interceptor
public class CustodyInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(CustodyInterceptor.class);
  private static final String WRITTEN = CustodyInterceptor.class.getName() + ".written";

  private final OrderCheck orders;
  private final FhirStore store;
  private final AuditTrail audit;
  private final OrderDispatch dispatch;

  public CustodyInterceptor(OrderCheck orders, FhirStore store, AuditTrail audit, OrderDispatch dispatch) {
    this.orders = orders;
    this.store = store;
    this.audit = audit;
    this.dispatch = dispatch;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void beforeCreate(IBaseResource resource, RequestDetails request) {
    checkOrder(resource, request);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void beforeUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    checkOrder(resource, request);
  }

  private void checkOrder(IBaseResource resource, RequestDetails request) {
    if (resource instanceof SupplyRequest order && order.getMeta().hasProfile(CustodyCodes.PROFILE_ORDER)
        && order.getStatus() != SupplyRequest.SupplyRequestStatus.CANCELLED
        && order.getStatus() != SupplyRequest.SupplyRequestStatus.ENTEREDINERROR) {
      try {
        orders.check(order, transactionEntries(request));
      } catch (RuntimeException refused) {
        Caller caller = Caller.of(request);
        audit.record(caller.actor(), caller.peer(), "order", AuditEvent.AuditEventAction.C, "SupplyRequest",
            AuditTrail.Outcome.REFUSED, refused.getMessage());
        throw refused;
      }
      if (order.getStatus() == SupplyRequest.SupplyRequestStatus.DRAFT || !order.hasStatus()) {
        order.setStatus(SupplyRequest.SupplyRequestStatus.ACTIVE);
      }
    }
  }

  /**
   * The audit trail and the provenance outlive what they talk about: a reference from an AuditEvent
   * or a Provenance does not block deleting a resource (and is kept, as a record of what existed).
   */
  @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
  public void keepAuditOnDelete(ca.uhn.fhir.jpa.api.model.DeleteConflictList conflicts) {
    conflicts.removeIf(c -> {
      String type = c.getSourceId().getResourceType();
      return "AuditEvent".equals(type) || "Provenance".equals(type);
    });
  }

  private static final String TRANSACTION = CustodyInterceptor.class.getName() + ".transaction";

  /** Keeps the transaction bundle at hand, so an order can refer to resources stored with it. */
  @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
  public void transaction(org.hl7.fhir.instance.model.api.IBaseBundle bundle, RequestDetails request) {
    if (request != null) {
      request.getUserData().put(TRANSACTION, bundle);
    }
  }

  /** The resources of the transaction being processed, by "Type/id" and by full URL. */
  private static java.util.Map<String, org.hl7.fhir.r4.model.Resource> transactionEntries(RequestDetails request) {
    java.util.Map<String, org.hl7.fhir.r4.model.Resource> entries = new java.util.HashMap<>();
    if (request != null && request.getUserData().get(TRANSACTION) instanceof org.hl7.fhir.r4.model.Bundle bundle) {
      for (org.hl7.fhir.r4.model.Bundle.BundleEntryComponent e : bundle.getEntry()) {
        if (e.hasResource()) {
          if (e.hasFullUrl()) {
            entries.put(e.getFullUrl(), e.getResource());
          }
          if (e.getResource().getIdElement().hasIdPart()) {
            entries.put(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart(), e.getResource());
          }
        }
      }
    }
    return entries;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource, RequestDetails request) {
    remember(resource, request, "create");
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    remember(resource, request, "update");
  }

  @SuppressWarnings("unchecked")
  private static void remember(IBaseResource resource, RequestDetails request, String action) {
    if (request == null || resource instanceof AuditEvent || resource instanceof Provenance) {
      return;
    }
    List<Object[]> written = (List<Object[]>) request.getUserData().computeIfAbsent(WRITTEN, k -> new ArrayList<>());
    written.add(new Object[] {resource, action});
  }

  @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
  @SuppressWarnings("unchecked")
  public void completed(RequestDetails request) {
    List<Object[]> written = (List<Object[]>) request.getUserData().remove(WRITTEN);
    if (written == null || written.isEmpty()) {
      return;
    }
    Caller caller = Caller.of(request);
    List<String> ids = new ArrayList<>();
    for (Object[] w : written) {
      IBaseResource r = (IBaseResource) w[0];
      String id = r.getIdElement().toUnqualifiedVersionless().getValue();
      ids.add(id);
      audit.record(caller.actor(), caller.peer(), (String) w[1], "create".equals(w[1]) ? AuditEvent.AuditEventAction.C
          : AuditEvent.AuditEventAction.U, id, AuditTrail.Outcome.SUCCESS, r.fhirType() + " " + w[1] + " by client");
      if (r instanceof SupplyRequest order && order.getMeta().hasProfile(CustodyCodes.PROFILE_ORDER)
          && order.getStatus() == SupplyRequest.SupplyRequestStatus.ACTIVE && "create".equals(w[1])) {
        notifyManufacturer(order);
      }
    }
    store.create(Provenances.of(ids, caller.actor(), "client-write", null));
  }

  private void notifyManufacturer(SupplyRequest order) {
    try {
      dispatch.accepted(order);
    } catch (RuntimeException e) {
      LOG.error("order {} could not be handed on to the manufacturer: {}", order.getIdElement().getIdPart(),
          e.getMessage());
    }
  }
}
