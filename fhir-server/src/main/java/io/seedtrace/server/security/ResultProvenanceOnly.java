package io.seedtrace.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Set;
import org.hl7.fhir.r4.model.Provenance;

/**
 * The EHR system reads Provenance to see where the results it received came from (the
 * verification that produced a report or an alarm), not who did each custody step: chip read,
 * assembly, sealing and client writes stay with the administrator and the auditor, and with the
 * holder of a trace key through {@code $trace}. For a caller whose only right to Provenance is the
 * {@code ehr-system} role, every Provenance whose activity is not {@value #VERIFICATION} is dropped
 * wherever it would be returned (read, search, {@code _revinclude}, history): a read answers 404.
 */
@Interceptor
public class ResultProvenanceOnly {

  /** The activity code of the Provenance the verification writes with its results. */
  static final String VERIFICATION = "verify";
  private static final Set<Role> FULL_READERS = Set.of(Role.ADMIN, Role.AUDITOR);

  @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
  public void dropCustodyProvenance(IPreResourceAccessDetails details, RequestDetails request) {
    if (request == null || request instanceof SystemRequestDetails || !limited(CallerRights.current())) {
      return;
    }
    for (int i = 0; i < details.size(); i++) {
      if (details.getResource(i) instanceof Provenance p && !fromVerification(p)) {
        details.setDontReturnResourceAtIndex(i);
      }
    }
  }

  private static boolean limited(CallerRights caller) {
    return caller.roles().contains(Role.EHR_SYSTEM) && caller.roles().stream().noneMatch(FULL_READERS::contains);
  }

  private static boolean fromVerification(Provenance p) {
    return p.getActivity().getCoding().stream().anyMatch(c -> VERIFICATION.equals(c.getCode()));
  }
}
