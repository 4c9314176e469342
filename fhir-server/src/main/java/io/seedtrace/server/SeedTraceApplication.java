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

  /** What {@code java -jar seedtrace.jar --help} prints. */
  static final String USAGE = String.join("\n",
      "usage: java -jar seedtrace.jar [COMMAND] [options]",
      "",
      "Without a command: starts the server (FHIR at /fhir, DICOM node, console, EHR delivery).",
      "  --server.port=8080                   HTTP port",
      "  --seedtrace.data-dir=data            where keys, the DICOM spool and the embedded database live",
      "  --spring.profiles.active=prod        production defaults (external issuer, all addresses; see README)",
      "  --spring.profiles.active=postgres    PostgreSQL instead of the embedded H2",
      "  --<any setting of the README's configuration table>=<value>",
      "",
      "Commands (each answers --help):",
      "  detect <dir> [--json out.json] [--preview out.png]   count and locate the seeds of one CT series",
      "  chip keygen|encode|decode ...                         manufacturer's keys and cartridge chips",
      "  demo [--server URL] ...                               play the README's story against a running server",
      "  keys rekey --database-url URL ...                     change the cluster's key-encryption key",
      "",
      "  --help, -h                                            this text");

  public static void main(String[] args) {
    int exit = commandLine(java.util.List.of(args), System.out, System.err);
    if (exit >= 0) {
      System.exit(exit);
    }
    SpringApplication.run(SeedTraceApplication.class, args);
  }

  /**
   * Runs a command of the jar and returns its exit code, or -1 when the arguments start the server
   * (none, or only {@code --setting=value} options).
   */
  public static int commandLine(java.util.List<String> args, java.io.PrintStream out, java.io.PrintStream err) {
    if (args.isEmpty()) {
      return -1;
    }
    java.util.List<String> rest = args.subList(1, args.size());
    return switch (args.get(0)) {
      case "--help", "-h", "help" -> {
        out.println(USAGE);
        yield 0;
      }
      // a physicist's tool: no server, no Spring
      case "detect" -> io.seedtrace.server.cli.DetectCommand.run(rest, out, err);
      case "chip" -> io.seedtrace.server.cli.ChipCommand.run(rest, out, err);
      case "demo" -> io.seedtrace.server.cli.DemoCommand.run(rest, out, err);
      case "keys" -> io.seedtrace.server.cli.KeysCommand.run(rest, System.getenv(), out, err);
      default -> {
        if (args.get(0).startsWith("--")) {
          yield -1;
        }
        err.println("unknown command: " + args.get(0));
        err.println(USAGE);
        yield 2;
      }
    };
  }
}
