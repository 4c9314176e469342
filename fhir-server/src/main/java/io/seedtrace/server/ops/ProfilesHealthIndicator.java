package io.seedtrace.server.ops;

import io.seedtrace.server.fhir.ProfileInstallReport;
import io.seedtrace.server.fhir.ProfileInstaller;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** Health component {@code profiles}: UP once SeedTrace's FHIR package is installed. */
@Component("profiles")
public class ProfilesHealthIndicator extends AbstractHealthIndicator {

  private final ProfileInstaller installer;

  public ProfilesHealthIndicator(ProfileInstaller installer) {
    this.installer = installer;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ProfileInstallReport report = installer.report();
    if (report == null) {
      builder.down().withDetail("package", "not installed");
      return;
    }
    builder.up()
        .withDetail("package", report.packageName() + "#" + report.packageVersion())
        .withDetail("installed", report.resourcesInstalled());
  }
}
