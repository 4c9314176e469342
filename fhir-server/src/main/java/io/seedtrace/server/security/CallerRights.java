package io.seedtrace.server.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * What the caller of the current request may do: its {@link Role}s (from the token's roles claim)
 * narrowed by the SMART system scopes the token carries, if any ({@link SmartScopes}). The one
 * reading of the security context that {@link FhirAccessInterceptor} and the features that check
 * rights themselves (bulk export) share. Usage:
 * <pre>{@code CallerRights caller = CallerRights.current();
 * if (caller.readable(types).contains("Patient")) { ... }}</pre>
 */
public final class CallerRights {

  private final Set<Role> roles;
  private final List<String> scopeValues;
  private final Optional<SmartScopes.Grant> scopes;
  private final String clientId;

  private CallerRights(Set<Role> roles, List<String> scopeValues, String clientId) {
    this.roles = roles;
    this.scopeValues = scopeValues;
    this.scopes = SmartScopes.grantOf(scopeValues);
    this.clientId = clientId;
  }

  /** The rights of the authenticated caller of this thread's request (none when unauthenticated). */
  public static CallerRights current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    List<String> scopes = new ArrayList<>();
    String client = null;
    if (authentication != null) {
      for (GrantedAuthority authority : authentication.getAuthorities()) {
        Role.fromAuthority(authority.getAuthority()).ifPresent(roles::add);
      }
      client = authentication.getName();
    }
    if (authentication instanceof JwtAuthenticationToken jwt) {
      for (String claim : List.of("scope", "scp")) {
        Object value = jwt.getToken().getClaims().get(claim);
        if (value instanceof Collection<?> c) {
          c.forEach(v -> scopes.add(String.valueOf(v)));
        } else if (value instanceof String s) {
          scopes.addAll(List.of(s.trim().split("\\s+")));
        }
      }
    }
    return new CallerRights(roles, List.copyOf(scopes), client);
  }

  public Set<Role> roles() {
    return roles;
  }

  /** The SMART system scopes of the token, if it carries any. */
  public Optional<SmartScopes.Grant> scopes() {
    return scopes;
  }

  /** The token's scope values as sent (role names and SMART scopes), for messages. */
  public List<String> scopeValues() {
    return scopeValues;
  }

  /** The authenticated principal's name (the token's subject: the client id), or null. */
  public String clientId() {
    return clientId;
  }

  /** The administrator with a token not narrowed by SMART scopes: every interaction is allowed. */
  public boolean unrestricted() {
    return roles.contains(Role.ADMIN) && scopes.isEmpty();
  }

  /** Whether resources labelled restricted are visible to this caller (the admin role, see {@link RestrictedResourceGuard}). */
  public boolean seesRestricted() {
    return roles.contains(Role.ADMIN);
  }

  /**
   * The types among {@code knownTypes} the roles may read, narrowed by the SMART scopes if there
   * are any (conformance resources stay readable: they describe the server, not patients).
   */
  public Set<String> readable(Collection<String> knownTypes) {
    Set<String> readable = new TreeSet<>();
    for (Role role : roles) {
      FhirAccessMatrix.Rights rights = FhirAccessMatrix.rightsOf(role);
      for (String type : knownTypes) {
        boolean scoped = FhirAccessMatrix.CONFORMANCE.contains(type) || scopes.map(g -> g.canRead(type)).orElse(true);
        if (rights.canRead(type) && scoped) {
          readable.add(type);
        }
      }
    }
    return readable;
  }
}
