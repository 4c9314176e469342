package io.seedtrace.server.fhir;

import java.util.Map;

/**
 * What the start-up installation of the FHIR package did.
 *
 * @param resourcesInstalled resource type to the number installed or updated
 */
public record ProfileInstallReport(String packageName, String packageVersion,
    Map<String, Integer> resourcesInstalled, long millis) {

  public ProfileInstallReport {
    resourcesInstalled = Map.copyOf(resourcesInstalled);
  }
}
