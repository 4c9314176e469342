package io.seedtrace.server.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a bearer JWT (already checked by {@link TokenValidation}: signature, expiry, issuer,
 * audience) into an authentication whose authorities are our {@link Role}s, read from one
 * configured claim only ({@code seedtrace.security.roles-claim}, a dot-separated path such as
 * {@code roles} or {@code resource_access.seedtrace.roles}; a list or a space-separated string).
 * Other claims never grant a role: a Keycloak realm role {@code admin} in
 * {@code realm_access.roles}, which every client of the realm carries, is not SeedTrace's admin.
 * Unknown values are ignored, so a token with no SeedTrace role authenticates but is authorised for
 * nothing.
 */
public final class RoleClaims implements Converter<Jwt, AbstractAuthenticationToken> {

  private final List<String> path;

  /** @param claimPath e.g. {@code roles} or {@code resource_access.seedtrace.roles} */
  public RoleClaims(String claimPath) {
    if (claimPath == null || claimPath.isBlank()) {
      throw new IllegalArgumentException("the roles claim path must not be empty");
    }
    this.path = List.of(claimPath.split("\\."));
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    return new JwtAuthenticationToken(jwt, authorities(jwt), jwt.getSubject());
  }

  Collection<GrantedAuthority> authorities(Jwt jwt) {
    return authorities(jwt.getClaims());
  }

  /**
   * The roles named in the configured claim of a token's claims (a bearer JWT, or the ID token of a
   * person signed in to the web console), as authorities.
   */
  public Collection<GrantedAuthority> authorities(Map<String, Object> claims) {
    Object claim = claims;
    for (String step : path) {
      claim = claim instanceof Map<?, ?> map ? map.get(step) : null;
    }
    Set<String> values = new LinkedHashSet<>();
    if (claim instanceof Collection<?> c) {
      c.forEach(v -> values.add(String.valueOf(v)));
    } else if (claim instanceof String s) {
      values.addAll(List.of(s.split(" ")));
    }
    List<GrantedAuthority> authorities = new ArrayList<>();
    for (String value : values) {
      Role.fromClaimValue(value).ifPresent(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
    }
    return authorities;
  }
}
