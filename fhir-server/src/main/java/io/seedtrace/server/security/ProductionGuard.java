package io.seedtrace.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses to start with development settings where they would be reachable: with the {@code prod}
 * profile, or (without it) when HTTP or DICOM listens on an address other than loopback. The
 * development settings are the embedded issuer with its dev clients, no external issuer, console
 * passwords in clear ({@code {noop}}) and default database and keystore passwords. Without
 * {@code prod}, both listen on {@code 127.0.0.1} by default, so the one-command start of the README
 * works and is reachable from this machine only. The guard runs as soon as the configuration is
 * read, before anything starts, and lists every problem in one message, so an operator fixes them
 * in one go. Registered in {@code META-INF/spring.factories}.
 */
public class ProductionGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String PROFILE = "prod";
  private static final Set<String> DEFAULT_DB_PASSWORDS = Set.of("", "seedtrace", "postgres", "sa", "password");

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment environment = event.getEnvironment();
    SecurityProperties security = Binder.get(environment)
        .bindOrCreate("seedtrace.security", SecurityProperties.class);
    if (Arrays.asList(environment.getActiveProfiles()).contains(PROFILE)) {
      List<String> problems = problems(environment, security);
      if (!problems.isEmpty()) {
        throw new IllegalStateException("Refusing to start with the prod profile:\n - " + String.join("\n - ", problems));
      }
      return;
    }
    List<String> exposed = offLoopback(environment);
    if (exposed.isEmpty() || security.allowDevDefaultsOffLoopback()) {
      return;
    }
    List<String> problems = problems(environment, security);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Refusing to listen on " + String.join(" and ", exposed)
          + " with development settings (without the prod profile only loopback is safe; bind to 127.0.0.1"
          + " or fix these):\n - " + String.join("\n - ", problems));
    }
  }

  /** The listeners bound to something other than loopback, as "setting=address". */
  static List<String> offLoopback(Environment env) {
    List<String> exposed = new ArrayList<>();
    String http = env.getProperty("server.address", "");
    if (!isLoopback(http)) {
      exposed.add("server.address=" + (http.isBlank() ? "(all interfaces)" : http));
    }
    if (env.getProperty("seedtrace.dicom.enabled", Boolean.class, true)) {
      String dicom = env.getProperty("seedtrace.dicom.bind-address", "0.0.0.0");
      if (!isLoopback(dicom)) {
        exposed.add("seedtrace.dicom.bind-address=" + dicom);
      }
    }
    return exposed;
  }

  private static boolean isLoopback(String address) {
    if (address.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(address.trim()).isLoopbackAddress();
    } catch (UnknownHostException unknown) {
      return false;
    }
  }

  static List<String> problems(Environment env, SecurityProperties security) {
    List<String> problems = new ArrayList<>();
    if (security.embeddedIssuer().enabled()) {
      problems.add("seedtrace.security.embedded-issuer.enabled must be false (use an external issuer)");
    }
    String issuerUri = env.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
    if (issuerUri.isBlank()) {
      problems.add("spring.security.oauth2.resourceserver.jwt.issuer-uri (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI)"
          + " is not set; tokens are checked against it (keys may come from jwk-set-uri)");
    }
    for (Map.Entry<String, SecurityProperties.ConsoleUser> user : security.consoleUsers().entrySet()) {
      String password = user.getValue().password() == null ? "" : user.getValue().password();
      if (password.isBlank() || password.startsWith("{noop}")) {
        problems.add("console user '" + user.getKey() + "' has a clear-text or default password; "
            + "set seedtrace.security.console-users." + user.getKey() + ".password to a {bcrypt} hash");
      }
    }
    String dbPassword = env.getProperty("spring.datasource.password", "");
    if (DEFAULT_DB_PASSWORDS.contains(dbPassword)) {
      problems.add("spring.datasource.password (SPRING_DATASOURCE_PASSWORD) is empty or a well-known default");
    }
    String keystorePassword = env.getProperty("seedtrace.custody.keystore-password", "seedtrace-dev-keystore");
    if (keystorePassword.isBlank() || keystorePassword.equals("seedtrace-dev-keystore")) {
      problems.add("seedtrace.custody.keystore-password (SEEDTRACE_CUSTODY_KEYSTORE_PASSWORD) is empty or the"
          + " development default; it protects the master key of the sealing records");
    }
    return problems;
  }
}
