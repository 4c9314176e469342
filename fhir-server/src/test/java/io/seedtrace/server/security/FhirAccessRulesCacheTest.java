package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The rule list is built once per set of roles and token scopes, and only from them. */
class FhirAccessRulesCacheTest {

  private static final FhirAccessInterceptor RULES = new FhirAccessInterceptor(FhirContext.forR4Cached());

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  private static List<IAuthRule> rulesOf(String subject, String scope, Role... roles) {
    Jwt.Builder token = Jwt.withTokenValue("t").header("alg", "RS256").subject(subject).issuedAt(Instant.now())
        .expiresAt(Instant.now().plusSeconds(60));
    if (scope != null) {
      token.claim("scope", scope);
    }
    List<SimpleGrantedAuthority> authorities = java.util.Arrays.stream(roles)
        .map(r -> new SimpleGrantedAuthority(r.authority())).toList();
    SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(token.build(), authorities, subject));
    return RULES.buildRuleList(null);
  }

  private static List<String> names(List<IAuthRule> rules) {
    return rules.stream().map(IAuthRule::getName).toList();
  }

  @Test
  void callersWithTheSameRolesAndScopesShareOneRuleList() {
    List<IAuthRule> first = rulesOf("nurse-a", null, Role.NURSE);
    List<IAuthRule> second = rulesOf("nurse-b", null, Role.NURSE);
    assertThat(second).isSameAs(first);
    assertThat(names(first)).contains("read Device").doesNotContain("admin");
  }

  @Test
  void otherRolesOrScopesGetRulesOfTheirOwn() {
    List<IAuthRule> nurse = rulesOf("n", null, Role.NURSE);
    List<IAuthRule> scoped = rulesOf("n", "system/Device.read", Role.NURSE);
    List<IAuthRule> admin = rulesOf("a", null, Role.ADMIN);
    assertThat(scoped).isNotSameAs(nurse);
    assertThat(names(scoped)).contains("read Device").doesNotContain("read Patient");
    assertThat(names(scoped).get(names(scoped).size() - 1)).contains("system/Device.read");
    assertThat(names(admin)).contains("admin");
    assertThat(rulesOf("n", "system/Device.read", Role.NURSE)).isSameAs(scoped);
  }
}
