package io.seedtrace.server.custody;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Provenance;

/**
 * Puts into the audit chain, in the very transaction that stores the change, what happens to the
 * store whoever asks for it (a client, an admin, the server itself): every delete of any resource,
 * and every Provenance with the hash of its content. A delete or a Provenance is thus committed
 * with its audit entry or not at all. Registered with the FHIR storage's own interceptor service,
 * not only the REST server's, so internal writes are covered too.
 */
@Interceptor
public final class StorageAudit {

  private final AuditTrail audit;

  public StorageAudit(AuditTrail audit) {
    this.audit = audit;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource, RequestDetails request) {
    Caller caller = Caller.of(request);
    audit.recordDelete(caller.actor(), caller.peer(), resource.getIdElement().toUnqualifiedVersionless().getValue());
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource, RequestDetails request) {
    if (resource instanceof Provenance provenance) {
      Caller caller = Caller.of(request);
      audit.recordProvenance(caller.actor(), caller.peer(), provenance);
    }
  }
}
