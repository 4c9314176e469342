package io.seedtrace.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Gets real tokens from the running server's {@code /oauth2/token}, and forges bad ones. */
public final class Tokens {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String baseUrl;

  public Tokens(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A token for one of the dev clients of application.yaml, by the client-credentials grant. */
  public String forClient(String clientId, String secret) {
    try {
      String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
          .header("Authorization", "Basic " + basic)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
          .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("token request for " + clientId + " got " + response.statusCode() + ": " + response.body());
      }
      JsonNode json = new ObjectMapper().readTree(response.body());
      return json.get("access_token").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token of the dev client named after a role, e.g. {@code forRole("nurse")}. */
  public String forRole(String role) {
    String client = role.equals("ehr-system") ? "ehr-cli" : role + "-cli";
    String secret = role.equals("ehr-system") ? "ehr-secret" : role + "-secret";
    return forClient(client, secret);
  }

  /** The audience the server requires by default ({@code seedtrace.security.audience}). */
  public static final String AUDIENCE = "seedtrace";

  /** A JWT signed with {@code key} for the given issuer, roles and expiry, for the server's audience. */
  public static String sign(RSAKey key, String issuer, List<String> roles, Instant expiresAt) {
    return sign(key, claims(issuer, roles, expiresAt).build());
  }

  /** The claims of a well-formed token, to change one of them before {@link #sign(RSAKey, JWTClaimsSet)}. */
  public static JWTClaimsSet.Builder claims(String issuer, List<String> roles, Instant expiresAt) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject("forged-client")
        .audience(AUDIENCE)
        .issueTime(Date.from(expiresAt.minusSeconds(3600)))
        .expirationTime(Date.from(expiresAt))
        .claim("roles", roles)
        .claim("scope", String.join(" ", roles));
  }

  /** A JWT with exactly these claims, signed with {@code key}. */
  public static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's own signing key, as stored in its data directory. */
  public static RSAKey serverKey(Path dataDir) {
    try {
      return RSAKey.parse(Files.readString(dataDir.resolve("security/jwt-signing-key.json")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
