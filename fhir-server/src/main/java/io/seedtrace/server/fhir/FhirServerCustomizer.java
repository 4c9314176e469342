package io.seedtrace.server.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * A feature that adds interceptors or providers to the FHIR endpoint (security, profile
 * validation, operations). Each is a bean; the server applies all of them at start-up.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

  void customize(RestfulServer server);
}
