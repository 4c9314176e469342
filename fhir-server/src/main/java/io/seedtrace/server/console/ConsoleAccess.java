package io.seedtrace.server.console;

import io.seedtrace.server.security.CallerRights;
import io.seedtrace.server.security.FhirAccessMatrix;
import io.seedtrace.server.security.Role;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.server.ResponseStatusException;

/**
 * The role checks of the console's pages, the same as the FHIR API's: a page that shows resources
 * of some types needs read rights on all of them ({@link CallerRights#readable}); an action needs
 * the role whose act it is. A refusal is a 403 page that says what is missing. Usage:
 * <pre>{@code ConsoleAccess.read("DiagnosticReport", "Observation");
 * ConsoleAccess.act(Role.PHYSICIST, "sign off a verification report");}</pre>
 */
public final class ConsoleAccess {

  private ConsoleAccess() {}

  /** Whether the signed-in person may read every one of these types. */
  public static boolean mayRead(String... types) {
    return CallerRights.current().readable(List.of(types)).containsAll(List.of(types));
  }

  /** @throws ResponseStatusException 403 unless the person may read every one of these types */
  public static void read(String... types) {
    if (!mayRead(types)) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN,
          "Your role may not read " + String.join(", ", types) + ".");
    }
  }

  /** Whether the signed-in person has one of these roles. */
  public static boolean has(Role... roles) {
    Set<Role> own = CallerRights.current().roles();
    for (Role role : roles) {
      if (own.contains(role)) {
        return true;
      }
    }
    return false;
  }

  /** @throws ResponseStatusException 403 unless the person has one of the roles */
  public static void act(String what, Role... roles) {
    if (!has(roles)) {
      throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only the role " + names(roles) + " may " + what + ".");
    }
  }

  /** Whether the person may invoke a custody operation (e.g. {@code trace}), as the FHIR API decides it. */
  public static boolean mayInvoke(String operation) {
    return has(Role.ADMIN) || has(FhirAccessMatrix.operations().getOrDefault(operation, Set.of()).toArray(Role[]::new));
  }

  /** @throws ResponseStatusException 403 unless the person may invoke the custody operation */
  public static void invoke(String operation, String what) {
    if (!mayInvoke(operation)) {
      Set<Role> may = FhirAccessMatrix.operations().getOrDefault(operation, Set.of());
      act(what, java.util.stream.Stream.concat(may.stream().sorted(), java.util.stream.Stream.of(Role.ADMIN))
          .toArray(Role[]::new));
    }
  }

  /** The signed-in person's user name (the ID token's subject). */
  public static String person() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication == null ? "" : authentication.getName();
  }

  /** The signed-in person's roles as named in tokens, for the page header. */
  public static List<String> roleNames() {
    return CallerRights.current().roles().stream().map(Role::claimValue).sorted().toList();
  }

  private static String names(Role... roles) {
    return String.join(" or ", java.util.Arrays.stream(roles).map(Role::claimValue).toList());
  }
}
