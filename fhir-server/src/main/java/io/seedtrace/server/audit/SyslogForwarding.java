package io.seedtrace.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hands every AuditEvent the store keeps (custody steps, writes, deletes, PHI access) to the syslog
 * queue once its transaction has committed, so the collector never gets a record the chain does not
 * hold. Registered with the storage's interceptor service, which sees the server's own writes.
 */
@Interceptor
public final class SyslogForwarding {

  private final Predicate<AuditEvent> queue;

  public SyslogForwarding(Predicate<AuditEvent> queue) {
    this.queue = queue;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    if (!(resource instanceof AuditEvent event)) {
      return;
    }
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      queue.test(event);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        queue.test(event);
      }
    });
  }
}
