package io.seedtrace.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Provenance;

/**
 * AuditEvent and Provenance are append-only, for every caller including admins and the server
 * itself: an update (also by patch, in a transaction or conditional) or a delete is refused with
 * 405 before anything is stored. AuditEvents are written by the audit trail only: a client's
 * create is refused with 403, since an event outside the chain would be a forgery. Registered with
 * the FHIR storage's own interceptor service.
 */
@Interceptor
public final class AppendOnlyRecords {

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void updating(IBaseResource previous, IBaseResource resource) {
    refuseIfRecord(resource, "changed");
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void deleting(IBaseResource resource) {
    refuseIfRecord(resource, "deleted");
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void creating(IBaseResource resource, RequestDetails request) {
    if (resource instanceof AuditEvent && request != null && !(request instanceof SystemRequestDetails)) {
      throw new ForbiddenOperationException("AuditEvents are written by the server's audit trail only");
    }
  }

  private static void refuseIfRecord(IBaseResource resource, String what) {
    if (resource instanceof AuditEvent || resource instanceof Provenance) {
      String type = resource instanceof AuditEvent ? "AuditEvent" : "Provenance";
      throw new MethodNotAllowedException(type + " is append-only: a stored " + type + " cannot be " + what,
          RequestTypeEnum.GET, RequestTypeEnum.POST);
    }
  }
}
