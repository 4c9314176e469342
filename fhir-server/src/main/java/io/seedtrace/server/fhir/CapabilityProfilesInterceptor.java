package io.seedtrace.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Lists SeedTrace's profiles in the CapabilityStatement: each one under
 * {@code rest.resource.supportedProfile} of the type it constrains, so a client discovers them from
 * {@code GET /fhir/metadata}.
 */
@Interceptor
public class CapabilityProfilesInterceptor {

  private final Map<String, List<String>> profilesByType;
  private final String packageVersion;

  public CapabilityProfilesInterceptor(ProfilePackage profilePackage) {
    this.profilesByType = profilePackage.profilesByType();
    this.packageVersion = profilePackage.version();
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void addProfiles(IBaseConformance conformance) {
    CapabilityStatement statement = (CapabilityStatement) conformance;
    statement.getSoftware().setName("SeedTrace").setVersion(packageVersion);
    for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
      for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
        for (String url : profilesByType.getOrDefault(resource.getType(), List.of())) {
          boolean present = resource.getSupportedProfile().stream().anyMatch(p -> url.equals(p.getValue()));
          if (!present) {
            resource.getSupportedProfile().add(new CanonicalType(url));
          }
        }
      }
    }
  }
}
