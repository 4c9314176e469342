package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.server.SeedTraceApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The real application, started with the prod profile and development defaults, refuses to start. */
class ProductionStartupIT {

  @TempDir
  Path dataDir;

  @Test
  void prodProfileWithDefaultsRefusesToStartAndSaysWhy() {
    assertThatThrownBy(() -> new SpringApplicationBuilder(SeedTraceApplication.class)
            .profiles("prod")
            .run("--server.port=0", "--seedtrace.data-dir=" + dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Refusing to start with the prod profile")
        .hasMessageContaining("issuer-uri")
        .hasMessageContaining("console user 'admin'")
        .hasMessageContaining("spring.datasource.password");
  }

  @Test
  void devDefaultsOffLoopbackRefuseToStartAndListEveryProblem() {
    assertThatThrownBy(() -> new SpringApplicationBuilder(SeedTraceApplication.class)
            .run("--server.port=0", "--server.address=0.0.0.0", "--seedtrace.dicom.bind-address=0.0.0.0",
                "--seedtrace.data-dir=" + dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Refusing to listen on server.address=0.0.0.0 and seedtrace.dicom.bind-address=0.0.0.0")
        .hasMessageContaining("embedded-issuer.enabled")
        .hasMessageContaining("issuer-uri")
        .hasMessageContaining("console user 'admin'")
        .hasMessageContaining("spring.datasource.password")
        .hasMessageContaining("seedtrace.custody.keystore-password");
  }

  @Test
  void prodProfileWithAnExternalIssuerAndNoDefaultSecretsStarts() {
    // The issuer's keys are fetched on the first token, so the server starts without reaching it.
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SeedTraceApplication.class)
        .profiles("prod")
        .run("--server.port=0", "--seedtrace.dicom.port=0", "--seedtrace.data-dir=" + dataDir,
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:9/realms/seedtrace",
            "--seedtrace.security.console-users.admin.password={bcrypt}$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z5ZCBbe/2zzZ4wA7zgDz2p5S",
            "--spring.datasource.url=jdbc:h2:mem:prodguard",
            "--spring.datasource.username=sa",
            "--spring.datasource.password=kR8-long-random",
            "--seedtrace.custody.keystore-password=Zq7-keystore-long-random",
            "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false", "--camel.main.name=prod-guard")) {
      assertThat(context.isRunning()).isTrue();
      assertThat(context.containsBean("authorizationServerChain")).as("embedded issuer is off").isFalse();
    }
  }
}
