package io.seedtrace.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The SeedTrace server: HAPI FHIR JPA (R4) at {@code /fhir}, the Camel integration hub, the
 * embedded authorization server for the default set-up, and the operations endpoints.
 *
 * <p>HAPI brings its own entity manager and Hibernate set-up, so Boot's JPA, Elasticsearch, Quartz
 * and Flyway auto-configuration are switched off here; the authorization server is configured by
 * {@code security.EmbeddedIssuerConfig} only when enabled.
 */
@SpringBootApplication(exclude = {
    HibernateJpaAutoConfiguration.class,
    JpaRepositoriesAutoConfiguration.class,
    ElasticsearchClientAutoConfiguration.class,
    ElasticsearchRestClientAutoConfiguration.class,
    QuartzAutoConfiguration.class,
    FlywayAutoConfiguration.class,
    OAuth2AuthorizationServerAutoConfiguration.class,
    OAuth2AuthorizationServerJwtAutoConfiguration.class})
@ConfigurationPropertiesScan
public class SeedTraceApplication {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("detect")) {
      // A physicist's tool: no server, no Spring.
      System.exit(io.seedtrace.server.cli.DetectCommand.run(java.util.List.of(args).subList(1, args.length),
          System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("chip")) {
      System.exit(io.seedtrace.server.cli.ChipCommand.run(java.util.List.of(args).subList(1, args.length),
          System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("demo")) {
      System.exit(io.seedtrace.server.cli.DemoCommand.run(java.util.List.of(args).subList(1, args.length),
          System.out, System.err));
    }
    SpringApplication.run(SeedTraceApplication.class, args);
  }
}
