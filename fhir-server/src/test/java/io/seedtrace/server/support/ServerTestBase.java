package io.seedtrace.server.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.SeedTraceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the whole server once on a random port with an H2 file database in a fresh data
 * directory; subclasses that add no configuration of their own share that one instance.
 */
@AutoConfigureObservability
@SpringBootTest(classes = SeedTraceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServerTestBase {

  protected static final Path DATA_DIR = tempDir();

  static {
    // A system property, not only a dynamic property: logging reads the data dir before the
    // test context's dynamic properties exist.
    System.setProperty("seedtrace.data-dir", DATA_DIR.toString());
  }
  protected static final FhirContext FHIR = FhirContext.forR4Cached();
  /** The hospital EHR the server delivers verification results to (a second FHIR server in the test). */
  protected static final FakeEhr EHR = startEhr();
  protected static final String EHR_TOKEN = "ehr-test-token";
  /** An EHR's SMART Backend Services client (its keys and JWK Set server), registered as {@code smart-ehr}. */
  protected static final SmartBackendClient SMART_EHR = new SmartBackendClient();

  @LocalServerPort
  protected int port;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.data-dir", DATA_DIR::toString);
    registry.add("seedtrace.heartbeat.period-ms", () -> "500");
    // the test servers share one database; each is a cluster of its own, so each runs its heartbeat
    registry.add("seedtrace.cluster.name", () -> "test-" + java.util.UUID.randomUUID());
    // the tests' own address acts as a reverse proxy (its X-Forwarded-For is believed); 127.0.0.2 does not
    registry.add("seedtrace.security.trusted-proxies", () -> "127.0.0.1");
    registry.add("seedtrace.dicom.port", () -> "0");
    registry.add("seedtrace.dicom.allowed-calling-ae-titles", () -> "PACS");
    registry.add("seedtrace.dicom.allowed-addresses", () -> "127.0.0.1");
    registry.add("seedtrace.dicom.quiet-time", () -> "1s");
    // an incomplete series (gap, aborted association) waits this long for the rest
    registry.add("seedtrace.dicom.incomplete-grace", () -> "3s");
    // DICOMweb: a STOW-RS part over 1 MB is refused (DicomWebIT sends one)
    registry.add("seedtrace.dicomweb.max-part-size", () -> "1MB");
    // accepted orders also land as files, so tests can see what the manufacturer received
    registry.add("seedtrace.ehr.base-url", EHR::baseUrl);
    registry.add("seedtrace.ehr.auth", () -> "bearer");
    registry.add("seedtrace.ehr.bearer-token", () -> EHR_TOKEN);
    registry.add("seedtrace.ehr.initial-backoff", () -> "200ms");
    registry.add("seedtrace.ehr.max-backoff", () -> "1s");
    registry.add("seedtrace.ehr.poll-period", () -> "100ms");
    registry.add("seedtrace.ehr.max-attempts", () -> "200");
    // a browser-based client's origin (CorsIT)
    registry.add("seedtrace.security.cors.allowed-origins", () -> "https://ehr-app.example.org");
    // subscription notifications to an endpoint that is down are retried quickly
    registry.add("seedtrace.subscriptions.initial-backoff", () -> "200ms");
    registry.add("seedtrace.subscriptions.max-backoff", () -> "1s");
    registry.add("seedtrace.subscriptions.poll-period", () -> "100ms");
    // SMART Backend Services clients: keys by JWK Set URL, and inline
    registry.add("seedtrace.security.embedded-issuer.clients.smart-ehr.roles", () -> "ehr-system");
    registry.add("seedtrace.security.embedded-issuer.clients.smart-ehr.jwks-uri", SMART_EHR::jwksUri);
    registry.add("seedtrace.security.embedded-issuer.clients.smart-inline.roles", () -> "ehr-system");
    registry.add("seedtrace.security.embedded-issuer.clients.smart-inline.jwks", SMART_EHR::inlineEcJwks);
    // a console user whose role reads no clinical record (the console must refuse it its pages)
    registry.add("seedtrace.security.console-users.maker.password", () -> "{noop}maker");
    registry.add("seedtrace.security.console-users.maker.roles", () -> "manufacturer");
    registry.add("seedtrace.custody.manufacturer-endpoints", () -> "log:io.seedtrace.orders,file:"
        + DATA_DIR.resolve("outbox").resolve("manufacturer").toAbsolutePath());
  }

  /**
   * For a test class whose configuration differs, and which therefore gets a second application
   * context beside the cached shared one: its own database and spool (a spool can be open only
   * once, and two contexts must not deliver one outbox).
   */
  protected static void ownDatabaseAndSpool(DynamicPropertyRegistry registry, String name) {
    try {
      Path own = Files.createTempDirectory(name);
      registry.add("seedtrace.dicom.spool-dir", () -> own.resolve("dicom").toString());
      registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + own.resolve("h2").resolve("seedtrace")
          + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected String baseUrl() {
    return "http://localhost:" + port;
  }

  protected Tokens tokens() {
    return new Tokens(baseUrl());
  }

  /** A FHIR client that sends the token of the given role's dev client. */
  protected IGenericClient fhirAs(String role) {
    return fhirWithToken(tokens().forRole(role));
  }

  protected IGenericClient fhirWithToken(String token) {
    return BearerFhirClient.of(baseUrl(), token);
  }

  private static FakeEhr startEhr() {
    try {
      return new FakeEhr(EHR_TOKEN_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String EHR_TOKEN_VALUE = "ehr-test-token";

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("seedtrace-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
