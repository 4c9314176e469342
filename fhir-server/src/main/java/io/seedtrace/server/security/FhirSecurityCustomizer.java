package io.seedtrace.server.security;

import io.seedtrace.server.fhir.FhirServerCustomizer;
import org.springframework.stereotype.Component;

/** Puts {@link FhirAccessInterceptor} in front of every FHIR interaction. */
@Component
public class FhirSecurityCustomizer implements FhirServerCustomizer {

  @Override
  public void customize(ca.uhn.fhir.rest.server.RestfulServer server) {
    server.registerInterceptor(new FhirAccessInterceptor(server.getFhirContext()));
  }
}
