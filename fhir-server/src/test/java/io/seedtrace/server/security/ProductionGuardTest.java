package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionGuardTest {

  private static SecurityProperties security(boolean embedded, String consolePassword) {
    return new SecurityProperties(
        new SecurityProperties.EmbeddedIssuer(embedded, "http://localhost:8080", Duration.ofHours(1), Map.of()),
        Map.of("admin", new SecurityProperties.ConsoleUser(consolePassword, List.of("admin"))), "seedtrace", "roles",
        List.of(), false, new SecurityProperties.Smart("", Duration.ofMinutes(5)));
  }

  @Test
  void refusesDevelopmentDefaultsListingEveryProblem() {
    MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.password", "seedtrace");
    List<String> problems = ProductionGuard.problems(env, security(true, "{noop}admin"));
    assertThat(problems).hasSize(5);
    assertThat(String.join("\n", problems))
        .contains("embedded-issuer.enabled")
        .contains("issuer-uri")
        .contains("console user 'admin'")
        .contains("spring.datasource.password")
        .contains("seedtrace.custody.keystore-password");
  }

  @Test
  void acceptsAnExternalIssuerHashedPasswordsAndARealDatabasePassword() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://keycloak.hospital.example/realms/seedtrace")
        .withProperty("spring.datasource.password", "kR8#v1-long-random")
        .withProperty("seedtrace.custody.keystore-password", "Zq7-keystore-long-random");
    assertThat(ProductionGuard.problems(env,
        security(false, "{bcrypt}$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z5ZCBbe/2zzZ4wA7zgDz2p5S"))).isEmpty();
  }

  @Test
  void namesEveryListenerThatIsNotOnLoopback() {
    assertThat(ProductionGuard.offLoopback(new MockEnvironment()
        .withProperty("server.address", "127.0.0.1").withProperty("seedtrace.dicom.bind-address", "127.0.0.1")))
        .isEmpty();
    assertThat(ProductionGuard.offLoopback(new MockEnvironment()
        .withProperty("server.address", "::1").withProperty("seedtrace.dicom.bind-address", "localhost")))
        .isEmpty();
    assertThat(ProductionGuard.offLoopback(new MockEnvironment()
        .withProperty("server.address", "0.0.0.0").withProperty("seedtrace.dicom.bind-address", "0.0.0.0")))
        .containsExactly("server.address=0.0.0.0", "seedtrace.dicom.bind-address=0.0.0.0");
    assertThat(ProductionGuard.offLoopback(new MockEnvironment().withProperty("seedtrace.dicom.enabled", "false")))
        .as("no server.address: every interface").containsExactly("server.address=(all interfaces)");
  }
}
