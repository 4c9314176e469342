package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.seedtrace.server.SeedTraceApplication;
import io.seedtrace.server.support.Tokens;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default storage keeps data across a restart: the server is started, written to, stopped
 * and started again on the same data directory, as a user does with the README command.
 */
class RestartPersistenceIT {

  @TempDir
  Path dataDir;

  private static ConfigurableApplicationContext start(Path dataDir) {
    return new SpringApplicationBuilder(SeedTraceApplication.class).run(
        "--server.port=0",
        "--seedtrace.dicom.port=0",
        "--seedtrace.data-dir=" + dataDir,
        "--spring.jmx.enabled=false",
        "--camel.main.jmx-enabled=false",
        "--camel.main.name=restart-test");
  }

  private static IGenericClient client(String base, String token) {
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    // a loaded build machine may answer slower than the client default of 10 s
    fhir.getRestfulClientFactory().setSocketTimeout(60_000);
    IGenericClient client = fhir.newRestfulGenericClient(base + "/fhir");
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    return client;
  }

  private static String base(ConfigurableApplicationContext context) {
    return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @Test
  void dataAndIssuedTokensSurviveARestart() {
    IdType id;
    String tokenBeforeRestart;
    try (ConfigurableApplicationContext first = start(dataDir)) {
      tokenBeforeRestart = new Tokens(base(first)).forRole("ehr-system");
      Patient patient = new Patient();
      patient.addIdentifier().setSystem("urn:hospital:inpatient").setValue("IP-2026-0042");
      id = ((IdType) client(base(first), tokenBeforeRestart).create().resource(patient).execute().getId())
          .toUnqualifiedVersionless();
    }

    try (ConfigurableApplicationContext second = start(dataDir)) {
      Patient again = client(base(second), tokenBeforeRestart).read().resource(Patient.class).withId(id).execute();
      assertThat(again.getIdentifierFirstRep().getValue()).isEqualTo("IP-2026-0042");
    }
  }
}
