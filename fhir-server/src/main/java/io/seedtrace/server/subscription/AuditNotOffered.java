package io.seedtrace.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.Set;

/**
 * The audit trail (AuditEvent) and the provenance records (Provenance) are not offered to the
 * server's Subscriptions: HAPI would otherwise keep a copy of each in its table of pending changes,
 * read it back, parse it and match it against every Subscription on a thread of normal priority,
 * for records no Subscription may ask for ({@code SubscriptionGuard} refuses criteria on these
 * types). Each client write stores an AuditEvent, a Provenance and the Provenance's AuditEvent, so
 * this was most of the background matching work of a write. A live feed of the audit is the syslog
 * forwarding; reports and alarms are offered as before.
 */
@Interceptor
public final class AuditNotOffered {

  /** The types never offered to Subscription matching. */
  public static final Set<String> TYPES = Set.of("AuditEvent", "Provenance");

  private final FhirContext fhir;

  public AuditNotOffered(FhirContext fhir) {
    this.fhir = fhir;
  }

  /** HAPI's offer of a stored change to the Subscriptions: no for the audit and provenance records. */
  @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
  public boolean offered(ResourceModifiedMessage change) {
    return !TYPES.contains(change.getResourceType(fhir));
  }
}
