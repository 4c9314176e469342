package io.seedtrace.server.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The web consoles' own guards besides Spring Security: the origin check in front of Jolokia and in
 * front of the people's console's forms.
 * The Jolokia restrictor ({@link ConsoleRestrictor}) is named in {@code application.yaml}, since
 * Jolokia creates it.
 */
@Configuration
public class ConsoleConfig {

  /** Both ways to Jolokia: directly, and Hawtio's own path, which forwards there. */
  static final String[] JOLOKIA_PATHS = {"/actuator/jolokia", "/actuator/jolokia/*", "/actuator/hawtio/jolokia",
      "/actuator/hawtio/jolokia/*"};

  @Bean
  public FilterRegistrationBean<ConsoleOriginFilter> consoleOriginCheck() {
    FilterRegistrationBean<ConsoleOriginFilter> registration = new FilterRegistrationBean<>(new ConsoleOriginFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
    registration.addUrlPatterns(JOLOKIA_PATHS);
    return registration;
  }

  /** The people's console: a form posted by a page of another origin is refused (403). */
  @Bean
  public FilterRegistrationBean<ConsoleOriginFilter> peopleConsoleOriginCheck() {
    FilterRegistrationBean<ConsoleOriginFilter> registration = new FilterRegistrationBean<>(new ConsoleOriginFilter(true));
    registration.setName("peopleConsoleOriginCheck");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
    registration.addUrlPatterns("/console/*");
    return registration;
  }
}
