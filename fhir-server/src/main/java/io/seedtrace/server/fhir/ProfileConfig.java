package io.seedtrace.server.fhir;

import ca.uhn.fhir.batch2.coordinator.JobDefinitionRegistry;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexJobParameters;
import ca.uhn.fhir.batch2.model.JobDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SeedTrace's FHIR package: installed at start-up, validated on write, listed in metadata. */
@Configuration
public class ProfileConfig {

  @Bean
  public ProfilePackage profilePackage() {
    return ProfilePackage.fromClasspath();
  }

  @Bean
  public ProfileInstaller profileInstaller(ProfilePackage profilePackage, IPackageInstallerSvc installer,
      ISearchParamRegistry searchParams, JobDefinitionRegistry jobs,
      @Qualifier("reindexJobDefinitionV2") JobDefinition<ReindexJobParameters> reindex) {
    // Installing search parameters schedules a reindex; its job must be known before the install.
    jobs.addJobDefinitionIfNotRegistered(reindex);
    return new ProfileInstaller(profilePackage, installer, searchParams);
  }

  @Bean
  public ProfileValidationInterceptor profileValidation(FhirContext context, IValidationSupport validationSupport,
      ProfilePackage profilePackage) {
    return new ProfileValidationInterceptor(context, validationSupport, profilePackage);
  }

  @Bean
  public FhirServerCustomizer profileCustomizer(ProfileValidationInterceptor validation, ProfilePackage profilePackage) {
    return server -> {
      server.registerInterceptor(validation);
      server.registerInterceptor(new CapabilityProfilesInterceptor(profilePackage));
    };
  }
}
