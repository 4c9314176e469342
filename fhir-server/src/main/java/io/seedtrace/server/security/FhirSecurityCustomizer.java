package io.seedtrace.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Puts {@link FhirAccessInterceptor} in front of every FHIR interaction,
 * {@link RestrictedResourceGuard} around every access to stored resources, and keeps internals out
 * of error answers; quietens HAPI's ERROR lines for refusals (see
 * {@link io.seedtrace.server.security.http.ClientErrorLogFilter}).
 */
@Component
public class FhirSecurityCustomizer implements FhirServerCustomizer {

  private final DaoRegistry daos;

  public FhirSecurityCustomizer(DaoRegistry daos) {
    this.daos = daos;
  }

  @Override
  public void customize(ca.uhn.fhir.rest.server.RestfulServer server) {
    server.registerInterceptor(new FhirAccessInterceptor(server.getFhirContext()));
    server.registerInterceptor(new SubscriptionGuard());
    server.registerInterceptor(new RestrictedResourceGuard(new SearchReach(server.getFhirContext()), daos));
    server.registerInterceptor(new ResultProvenanceOnly());
    server.registerInterceptor(new io.seedtrace.server.security.http.SafeExceptionInterceptor());
  }
}
