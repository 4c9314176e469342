package io.seedtrace.server.security.smart;

import io.seedtrace.server.fhir.FhirProperties;
import io.seedtrace.server.fhir.FhirServerCustomizer;
import io.seedtrace.server.security.CorsProperties;
import io.seedtrace.server.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * SMART on FHIR discovery, with the embedded issuer and with an external one:
 * {@code /.well-known/smart-configuration} and {@code rest.security} in the CapabilityStatement.
 * The Backend Services client authentication itself is part of the embedded issuer
 * ({@code EmbeddedIssuerConfig}).
 */
@Configuration
public class SmartConfig {

  @Bean
  public SmartEndpoints smartEndpoints(SecurityProperties security, FhirProperties fhir) {
    return new SmartEndpoints(security, fhir);
  }

  /** After Spring Security, which lets these paths through unauthenticated (GET only). */
  @Bean
  public FilterRegistrationBean<SmartConfigurationFilter> smartConfiguration(SmartEndpoints endpoints) {
    FilterRegistrationBean<SmartConfigurationFilter> registration =
        new FilterRegistrationBean<>(new SmartConfigurationFilter(endpoints));
    registration.addUrlPatterns("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");
    registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
    return registration;
  }

  @Bean
  public FhirServerCustomizer smartCapabilities(SmartEndpoints endpoints, CorsProperties cors) {
    return server -> server.registerInterceptor(new SmartCapabilityInterceptor(endpoints, cors.enabled()));
  }
}
