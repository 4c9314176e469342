package io.seedtrace.server.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Wires HAPI FHIR's JPA server (R4) into the Spring Boot application and mounts it at
 * {@code /fhir}. Storage is whatever {@link DataSource} Boot configured (H2 file by default,
 * PostgreSQL with the {@code postgres} profile).
 */
@Configuration
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    ThreadPoolFactoryConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class,
    // R4 Subscriptions (rest-hook): matching on every write, delivery by the processor
    ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig.class,
    ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig.class})
public class FhirServerConfig {

  @Bean
  public JpaStorageSettings storageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    settings.setAllowExternalReferences(true);
    settings.setAllowMultipleDelete(false);
    settings.setExpungeEnabled(false);
    settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
    settings.setAutoCreatePlaceholderReferenceTargets(false);
    settings.setEnforceReferentialIntegrityOnWrite(true);
    settings.setEnforceReferentialIntegrityOnDelete(true);
    // A search answers what is stored now: a clinical user (or an EHR polling for alerts) must not get
    // a result cached from before the newest alert for a minute, as HAPI would by default.
    settings.setReuseCachedSearchResultsForMillis(null);
    settings.setDefaultSearchParamsCanBeOverridden(true);
    settings.setMarkResourcesForReindexingUponSearchParameterChange(true);
    settings.setAdvancedHSearchIndexing(false);
    settings.setHibernateSearchIndexFullText(false);
    settings.setHibernateSearchIndexSearchParams(false);
    // Our value sets are small enumerations; validation expands them in memory.
    settings.setEnableTaskPreExpandValueSets(false);
    return settings;
  }

  /** Only rest-hook subscriptions are supported: e-mail channels are never enabled, so nothing is sent. */
  @Bean
  public ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender noEmailSender() {
    return details -> {
      throw new IllegalStateException("e-mail subscriptions are not supported");
    };
  }

  @Bean
  public PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  public SubscriptionSettings subscriptionSettings() {
    SubscriptionSettings settings = new SubscriptionSettings();
    settings.addSupportedSubscriptionType(org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType.RESTHOOK);
    return settings;
  }

  @Primary
  @Bean
  public LocalContainerEntityManagerFactoryBean entityManagerFactory(
      DataSource dataSource,
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      FhirProperties properties) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    Properties jpa = new Properties();
    jpa.put("hibernate.dialect", properties.hibernateDialect());
    jpa.put("hibernate.hbm2ddl.auto", "update");
    jpa.put("hibernate.format_sql", "false");
    jpa.put("hibernate.show_sql", "false");
    jpa.put("hibernate.jdbc.batch_size", "20");
    jpa.put("hibernate.cache.use_query_cache", "false");
    jpa.put("hibernate.cache.use_second_level_cache", "false");
    jpa.put("hibernate.cache.use_structured_entries", "false");
    jpa.put("hibernate.cache.use_minimal_puts", "false");
    jpa.put("hibernate.search.enabled", "false");
    factory.setJpaProperties(jpa);
    return factory;
  }

  @Primary
  @Bean
  public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    JpaTransactionManager manager = new JpaTransactionManager();
    manager.setEntityManagerFactory(entityManagerFactory);
    return manager;
  }

  @Bean
  public RestfulServer fhirRestfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      FhirProperties properties,
      List<FhirServerCustomizer> customizers,
      ca.uhn.fhir.jpa.api.dao.DaoRegistry daoRegistry,
      org.springframework.beans.factory.config.AutowireCapableBeanFactory beans) {
    RestfulServer server = new RestfulServer(systemDao.getContext()) {
      @Override
      public void addHeadersToResponse(jakarta.servlet.http.HttpServletResponse response) {
        // no X-Powered-By: the product and version only help an attacker pick an exploit
      }

      @Override
      public void populateRequestDetailsFromRequestPath(
          ca.uhn.fhir.rest.api.server.RequestDetails request, String requestPath) {
        super.populateRequestDetailsFromRequestPath(request, requestPath);
        CompartmentSearch.rewrite(getFhirContext(), request);
      }
    };
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    // HAPI's ValueSet operations, with $expand in memory (no Hibernate Search here)
    InMemoryExpandValueSetOperations valueSets = new InMemoryExpandValueSetOperations(
        systemDao.getContext(), validationSupport, storageSettings, daoRegistry);
    beans.autowireBean(valueSets);
    server.registerProvider(valueSets);
    JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
        server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription("SeedTrace FHIR R4 server");
    server.setServerConformanceProvider(capabilities);
    pagingProvider.setDefaultPageSize(properties.defaultPageSize());
    pagingProvider.setMaximumPageSize(properties.maxPageSize());
    server.setPagingProvider(pagingProvider);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setDefaultPrettyPrint(true);
    server.setServerAddressStrategy(properties.serverAddress().isBlank()
        ? new PublicBaseAddress()
        : new HardcodedServerAddressStrategy(properties.serverAddress()));
    customizers.forEach(customizer -> customizer.customize(server));
    return server;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
