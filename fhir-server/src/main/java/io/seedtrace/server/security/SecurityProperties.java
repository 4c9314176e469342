package io.seedtrace.server.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Security settings under {@code seedtrace.security}.
 *
 * @param embeddedIssuer the built-in OAuth2 authorization server for the default set-up
 * @param consoleUsers human users of the web console, by user name
 */
@ConfigurationProperties("seedtrace.security")
public record SecurityProperties(
    @DefaultValue EmbeddedIssuer embeddedIssuer,
    Map<String, ConsoleUser> consoleUsers) {

  public SecurityProperties {
    consoleUsers = consoleUsers == null ? Map.of() : Map.copyOf(consoleUsers);
  }

  /**
   * @param enabled whether this server issues its own tokens at {@code /oauth2/token}
   * @param issuer the {@code iss} written into tokens
   * @param tokenTtl lifetime of an access token
   * @param clients client id to its secret and roles
   */
  public record EmbeddedIssuer(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("http://localhost:8080") String issuer,
      @DefaultValue("1h") Duration tokenTtl,
      Map<String, Client> clients) {

    public EmbeddedIssuer {
      clients = clients == null ? Map.of() : Map.copyOf(clients);
    }
  }

  /** A client of the embedded issuer (client-credentials grant). */
  public record Client(String secret, List<String> roles) {
    public Client {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }

  /** A console user: password in Spring's {@code {id}encoded} form and roles. */
  public record ConsoleUser(String password, List<String> roles) {
    public ConsoleUser {
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }
}
