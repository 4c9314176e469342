package io.seedtrace.server.fhir;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Installs SeedTrace's FHIR package into the JPA store when the server starts, before it takes
 * requests: profiles, terminology and search parameters become stored resources, and the
 * validator and search engine use them. Installing is idempotent, so every start re-installs the
 * package shipped with this build.
 */
public class ProfileInstaller implements SmartInitializingSingleton {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileInstaller.class);

  private final ProfilePackage profilePackage;
  private final IPackageInstallerSvc installer;
  private final ISearchParamRegistry searchParams;
  private volatile ProfileInstallReport report;

  public ProfileInstaller(ProfilePackage profilePackage, IPackageInstallerSvc installer,
      ISearchParamRegistry searchParams) {
    this.profilePackage = profilePackage;
    this.installer = installer;
    this.searchParams = searchParams;
  }

  @Override
  public void afterSingletonsInstantiated() {
    long start = System.nanoTime();
    PackageInstallationSpec spec = new PackageInstallationSpec()
        .setName(profilePackage.name())
        .setVersion(profilePackage.version())
        .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
        .setFetchDependencies(false)
        .setPackageContents(profilePackage.toTarball());
    spec.setReloadExisting(true);
    spec.setInstallResourceTypes(List.of(
        "StructureDefinition", "CodeSystem", "ValueSet", "SearchParameter", "ConceptMap", "NamingSystem"));
    PackageInstallOutcomeJson outcome = installer.install(spec);
    if (searchParams instanceof SearchParamRegistryImpl registry) {
      registry.forceRefresh();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    ProfileInstallReport report = new ProfileInstallReport(
        profilePackage.name(), profilePackage.version(), outcome.getResourcesInstalled(), millis);
    LOG.info("Installed FHIR package {}#{}: {} in {} ms", report.packageName(), report.packageVersion(),
        report.resourcesInstalled(), millis);
    this.report = report;
  }

  /** The outcome of the installation at start-up; null before it ran. */
  public ProfileInstallReport report() {
    return report;
  }
}
