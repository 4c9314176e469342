package io.seedtrace.server.security.smart;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Declares SMART on FHIR in {@code CapabilityStatement.rest.security}: the service
 * {@code restful-security-service#SMART-on-FHIR} and the token endpoint in the
 * {@code oauth-uris} extension, as SMART App Launch asks of servers besides
 * {@code /.well-known/smart-configuration}.
 */
@Interceptor
public final class SmartCapabilityInterceptor {

  static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
  static final String SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";
  private final SmartEndpoints endpoints;
  private final boolean cors;

  /** @param cors whether browser pages of configured origins may call the API (CORS) */
  public SmartCapabilityInterceptor(SmartEndpoints endpoints, boolean cors) {
    this.endpoints = endpoints;
    this.cors = cors;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void addSecurity(IBaseConformance conformance, RequestDetails request) {
    if (!(request instanceof ServletRequestDetails servlet) || servlet.getServletRequest() == null) {
      return;
    }
    String token = endpoints.tokenEndpoint(servlet.getServletRequest());
    for (CapabilityStatement.CapabilityStatementRestComponent rest : ((CapabilityStatement) conformance).getRest()) {
      CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
      security.setCors(cors);
      security.getService().clear();
      security.addService(smartService());
      security.setDescription("OAuth2 bearer tokens (SMART Backend Services: client-credentials grant, "
          + "private_key_jwt or client secret; SMART v1/v2 system scopes narrow the client's roles). "
          + "See /.well-known/smart-configuration.");
      security.getExtension().removeIf(e -> OAUTH_URIS.equals(e.getUrl()));
      Extension uris = security.addExtension().setUrl(OAUTH_URIS);
      uris.addExtension("token", new UriType(token));
    }
  }

  private static CodeableConcept smartService() {
    CodeableConcept service = new CodeableConcept();
    service.addCoding().setSystem(SERVICE_SYSTEM).setCode("SMART-on-FHIR").setDisplay("SMART-on-FHIR");
    service.setText("OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)");
    return service;
  }
}
