package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The claims of a token signed with the server's own key, over real HTTP: a token must expire, must
 * be meant for SeedTrace ({@code aud}), and grants only the roles in the configured roles claim.
 * Each case has a control that differs in that one claim and is accepted.
 */
class TokenClaimsIT extends ServerTestBase {

  @Value("${seedtrace.security.embedded-issuer.issuer}")
  String issuer;

  private HttpResponse<String> readPatients(JWTClaimsSet claims) {
    return new Http(baseUrl()).get("/fhir/Patient", Tokens.sign(Tokens.serverKey(DATA_DIR), claims));
  }

  private JWTClaimsSet.Builder admin() {
    return Tokens.claims(issuer, List.of("admin"), Instant.now().plusSeconds(300));
  }

  @Test
  void aTokenThatNeverExpiresIsRefused() {
    assertThat(readPatients(admin().build()).statusCode()).as("control").isEqualTo(200);
    HttpResponse<String> response = readPatients(admin().expirationTime(null).build());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
  }

  @Test
  void aTokenTheIssuerMadeForAnotherApplicationIsRefused() {
    assertThat(readPatients(admin().audience(List.of("billing", Tokens.AUDIENCE)).build()).statusCode())
        .as("control: one of several audiences").isEqualTo(200);
    assertThat(readPatients(admin().audience("billing").build()).statusCode()).isEqualTo(401);
    assertThat(readPatients(admin().audience((String) null).build()).statusCode()).isEqualTo(401);
  }

  @Test
  void rolesOutsideTheConfiguredClaimGrantNothing() {
    JWTClaimsSet.Builder noRoles = Tokens.claims(issuer, List.of(), Instant.now().plusSeconds(300));
    // a Keycloak realm role of another client, and a scope named like a role
    assertThat(readPatients(noRoles.claim("realm_access", Map.of("roles", List.of("admin"))).build()).statusCode())
        .isEqualTo(403);
    assertThat(readPatients(noRoles.claim("scope", "admin").build()).statusCode()).isEqualTo(403);
    assertThat(readPatients(noRoles.claim("roles", List.of("admin")).build()).statusCode())
        .as("control: the configured claim").isEqualTo(200);
  }

  @Test
  void theEmbeddedIssuerWritesTheAudienceIntoItsTokens() throws Exception {
    String token = tokens().forRole("nurse");
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).containsExactly(Tokens.AUDIENCE);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime()).isNotNull();
    assertThat(new Http(baseUrl()).get("/fhir/Device", token).statusCode()).isEqualTo(200);
  }
}
