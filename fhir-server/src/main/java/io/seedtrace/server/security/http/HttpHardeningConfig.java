package io.seedtrace.server.security.http;

import io.seedtrace.server.security.SecurityProperties;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What every HTTP answer of the server shares, whoever produces it: odd paths refused first
 * ({@link RequestPathFilter}, 400), a request body limit (413), the client's origin resolved
 * through the trusted proxies ({@link ClientOriginFilter}), wrong secrets slowed down
 * ({@link SignInThrottleFilter}, 429), and
 * errors as OperationOutcomes without internals, from Tomcat ({@link OperationOutcomeErrorValve}),
 * Spring ({@link OperationOutcomeErrorController}) and the FHIR server
 * ({@link SafeExceptionInterceptor}).
 */
@Configuration
@EnableConfigurationProperties(HttpProperties.class)
public class HttpHardeningConfig {

  @Bean
  public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(HttpProperties properties) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestBody().toBytes(),
            // STOW-RS streams each instance to the spool and has its own limits (seedtrace.dicomweb.*)
            java.util.List.of("/dicomweb/")));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  public FilterRegistrationBean<RequestPathFilter> requestPathCheck() {
    FilterRegistrationBean<RequestPathFilter> registration = new FilterRegistrationBean<>(new RequestPathFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  public TrustedProxies trustedProxies(SecurityProperties security) {
    return TrustedProxies.of(security.trustedProxies());
  }

  @Bean
  public FilterRegistrationBean<ClientOriginFilter> clientOrigin(TrustedProxies proxies) {
    FilterRegistrationBean<ClientOriginFilter> registration = new FilterRegistrationBean<>(new ClientOriginFilter(proxies));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  public FilterRegistrationBean<SignInThrottleFilter> signInThrottle(HttpProperties properties) {
    FilterRegistrationBean<SignInThrottleFilter> registration =
        new FilterRegistrationBean<>(new SignInThrottleFilter(properties.signInThrottle()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
    registration.addUrlPatterns(SignInThrottleFilter.TOKEN_PATH, SignInThrottleFilter.LOGIN_PATH);
    return registration;
  }

  @Bean
  public WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorReports() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(OperationOutcomeErrorValve.class.getName());
      }
    });
  }
}
