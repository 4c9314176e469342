package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class RoleClaimsTest {

  private static Jwt jwt(Map<String, Object> claims) {
    Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").issuedAt(Instant.now())
        .expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(builder::claim);
    return builder.build();
  }

  private static List<String> roles(String claimPath, Map<String, Object> claims) {
    return new RoleClaims(claimPath).authorities(jwt(claims)).stream().map(GrantedAuthority::getAuthority).toList();
  }

  @Test
  void readsKeycloakClientRolesFromANestedClaimAndNothingElse() {
    Map<String, Object> claims = Map.of(
        "realm_access", Map.of("roles", List.of("admin")),
        "resource_access", Map.of("seedtrace", Map.of("roles", List.of("nurse", "offline_access")),
            "billing", Map.of("roles", List.of("admin"))),
        "scope", "admin openid");
    assertThat(roles("resource_access.seedtrace.roles", claims)).containsExactly("ROLE_NURSE");
    assertThat(roles("roles", claims)).isEmpty();
  }

  @Test
  void readsASpaceSeparatedScopeWhenConfiguredTo() {
    assertThat(roles("scope", Map.of("scope", "openid physician"))).containsExactly("ROLE_PHYSICIAN");
  }
}
