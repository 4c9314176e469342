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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The custody rules on plain REST writes: a SeedOrder is checked ({@link OrderCheck}) before it is
 * stored and, when accepted, becomes active and is sent to the manufacturer after the commit; every
 * client create or update leaves an AuditEvent (in the hash chain) and a Provenance naming the
 * client, stored in the write's own transaction just before it commits.
 */
@Interceptor
public class CustodyInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(CustodyInterceptor.class);
  private static final String ACCEPTED = CustodyInterceptor.class.getName() + ".accepted";

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

  /** A client write waiting for its audit, which is appended just before its transaction commits. */
  private record Written(IBaseResource resource, String action) {}

  /**
   * Notes a client write in its transaction; the first of a transaction arranges for the audit of
   * all of them (one AuditEvent each, one Provenance naming them) to be appended in that same
   * transaction right before it commits: the writes and their audit commit together or not at all,
   * with one commit, and the audit head is locked only for the commit, not while the request runs.
   */
  @SuppressWarnings("unchecked")
  private void remember(IBaseResource resource, RequestDetails request, String action) {
    if (request == null || resource instanceof AuditEvent || resource instanceof Provenance) {
      return;
    }
    if (resource instanceof SupplyRequest order && order.getMeta().hasProfile(CustodyCodes.PROFILE_ORDER)
        && order.getStatus() == SupplyRequest.SupplyRequestStatus.ACTIVE && "create".equals(action)) {
      ((List<SupplyRequest>) request.getUserData().computeIfAbsent(ACCEPTED, k -> new ArrayList<>())).add(order);
    }
    Written write = new Written(resource, action);
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      audit(List.of(write), request); // not expected: HAPI calls this hook inside the write's transaction
      return;
    }
    AuditBeforeCommit pending = TransactionSynchronizationManager.getSynchronizations().stream()
        .filter(s -> s instanceof AuditBeforeCommit a && a.request == request).map(AuditBeforeCommit.class::cast)
        .findFirst().orElseGet(() -> {
          AuditBeforeCommit added = new AuditBeforeCommit(request);
          TransactionSynchronizationManager.registerSynchronization(added);
          return added;
        });
    pending.written.add(write);
  }

  /** The audit of a request's writes in one transaction (the transaction's own synchronization, so per transaction). */
  private final class AuditBeforeCommit implements TransactionSynchronization {
    private final RequestDetails request;
    private final List<Written> written = new ArrayList<>();

    AuditBeforeCommit(RequestDetails request) {
      this.request = request;
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      audit(written, request);
    }
  }

  private void audit(List<Written> written, RequestDetails request) {
    Caller caller = Caller.of(request);
    List<String> ids = new ArrayList<>();
    for (Written w : written) {
      String id = w.resource().getIdElement().toUnqualifiedVersionless().getValue();
      ids.add(id);
      audit.record(caller.actor(), caller.peer(), w.action(), "create".equals(w.action()) ? AuditEvent.AuditEventAction.C
          : AuditEvent.AuditEventAction.U, id, AuditTrail.Outcome.SUCCESS, w.resource().fhirType() + " " + w.action()
          + " by client");
    }
    store.create(Provenances.of(ids, caller.actor(), "client-write", null));
  }

  /** Accepted orders go to the manufacturer once the request that stored them has succeeded. */
  @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
  @SuppressWarnings("unchecked")
  public void completed(RequestDetails request) {
    List<SupplyRequest> accepted = (List<SupplyRequest>) request.getUserData().remove(ACCEPTED);
    if (accepted != null) {
      accepted.forEach(this::notifyManufacturer);
    }
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
