package io.seedtrace.server.custody;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import io.seedtrace.server.security.Role;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Hides resources labelled restricted ({@code meta.security} v3-Confidentiality {@code R}), such as
 * the administrator's messages with new trace keys, from everyone but the admin role: they are
 * left out of search results and a read of one answers 404 as if it did not exist.
 */
@Interceptor
public class RestrictedResourceFilter {

  @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
  public void hideRestricted(IPreResourceShowDetails details, RequestDetails request) {
    if (isAdmin()) {
      return;
    }
    for (int i = 0; i < details.size(); i++) {
      IBaseResource r = details.getResource(i);
      if (r != null && r.getMeta().getSecurity(AdminChannel.CONFIDENTIALITY, "R") != null) {
        details.setResource(i, null);
      }
    }
  }

  private static boolean isAdmin() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth != null && auth.getAuthorities().stream().anyMatch(a -> Role.ADMIN.authority().equals(a.getAuthority()));
  }
}
