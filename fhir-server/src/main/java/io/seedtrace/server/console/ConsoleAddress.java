package io.seedtrace.server.console;

import org.springframework.core.env.Environment;

/**
 * Where the console is, seen from a person's browser and from the server itself. The port is read
 * when asked (not at start-up), so a server on a random port (tests) registers the address it
 * really has.
 */
public final class ConsoleAddress {

  /** The path the issuer sends a browser back to with the authorization code. */
  public static final String CALLBACK_PATH = "/login/oauth2/code/";

  private final Environment environment;
  private final ConsoleProperties properties;

  public ConsoleAddress(Environment environment, ConsoleProperties properties) {
    this.environment = environment;
    this.properties = properties;
  }

  /** The browser-facing base URL, e.g. {@code http://localhost:8080}. */
  public String publicBase() {
    return properties.publicUrl().isEmpty() ? "http://localhost:" + port() : properties.publicUrl();
  }

  /** The exact redirect URI of the console's client registration. */
  public String redirectUri(String registrationId) {
    return publicBase() + CALLBACK_PATH + registrationId;
  }

  /** The base URL the server uses to call its own embedded issuer (token endpoint), over loopback. */
  public String loopbackBase() {
    String address = environment.getProperty("server.address", "127.0.0.1");
    boolean wildcard = address.isBlank() || address.equals("0.0.0.0") || address.equals("::");
    String host = wildcard ? "127.0.0.1" : address.contains(":") ? "[" + address + "]" : address;
    return "http://" + host + ":" + port();
  }

  private int port() {
    Integer local = environment.getProperty("local.server.port", Integer.class);
    return local != null ? local : environment.getProperty("server.port", Integer.class, 8080);
  }
}
