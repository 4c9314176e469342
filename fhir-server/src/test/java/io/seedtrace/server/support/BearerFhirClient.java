package io.seedtrace.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;

/**
 * The FHIR client a test talks to a running SeedTrace server with: HAPI's generic client on
 * {@code <base>/fhir}, sending a bearer token, not fetching the CapabilityStatement first, and
 * patient with a loaded build machine (60 s socket timeout instead of HAPI's 10 s).
 */
public final class BearerFhirClient {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private BearerFhirClient() {}

  /** A client of the FHIR endpoint of the server at {@code serverBase} (e.g. {@code http://127.0.0.1:8080}). */
  public static IGenericClient of(String serverBase, String token) {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    IGenericClient client = FHIR.newRestfulGenericClient(serverBase + "/fhir");
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    return client;
  }
}
