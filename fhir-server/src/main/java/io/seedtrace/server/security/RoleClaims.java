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
 * Turns a bearer JWT into an authentication whose authorities are our {@link Role}s. Roles are
 * read from the {@code scope}/{@code scp} claim (embedded issuer, most OAuth2 servers), a
 * {@code roles} claim, and Keycloak's {@code realm_access.roles}. Unknown values are ignored, so
 * a token with no SeedTrace role authenticates but is authorised for nothing.
 */
public final class RoleClaims implements Converter<Jwt, AbstractAuthenticationToken> {

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    return new JwtAuthenticationToken(jwt, authorities(jwt), jwt.getSubject());
  }

  static Collection<GrantedAuthority> authorities(Jwt jwt) {
    Set<String> values = new LinkedHashSet<>();
    Object scope = jwt.getClaims().get("scope");
    if (scope instanceof String s) {
      values.addAll(List.of(s.split(" ")));
    } else if (scope instanceof Collection<?> c) {
      c.forEach(v -> values.add(String.valueOf(v)));
    }
    addAll(values, jwt.getClaims().get("scp"));
    addAll(values, jwt.getClaims().get("roles"));
    if (jwt.getClaims().get("realm_access") instanceof Map<?, ?> realm) {
      addAll(values, realm.get("roles"));
    }
    List<GrantedAuthority> authorities = new ArrayList<>();
    for (String value : values) {
      Role.fromClaimValue(value).ifPresent(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
    }
    return authorities;
  }

  private static void addAll(Set<String> into, Object claim) {
    if (claim instanceof Collection<?> c) {
      c.forEach(v -> into.add(String.valueOf(v)));
    } else if (claim instanceof String s) {
      into.addAll(List.of(s.split(" ")));
    }
  }
}
