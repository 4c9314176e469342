package io.seedtrace.server.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SMART Backend Services client as an EHR runs one: its own RSA (RS384) and EC P-384 (ES384) key
 * pairs, the public halves published as a JWK Set by a small HTTP server on loopback (the
 * registered {@code jwks-uri}), and signed client assertions posted to the token endpoint.
 */
public final class SmartBackendClient implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  public final RSAKey rsa;
  public final ECKey ec;
  private final HttpServer server;
  /** How often the JWK Set was fetched. */
  public final AtomicInteger jwksFetches = new AtomicInteger();

  public SmartBackendClient() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("ehr-rsa-1").generate();
      ec = new ECKeyGenerator(Curve.P_384).keyID("ehr-ec-1").generate();
      byte[] jwks = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(true)
          .getBytes(StandardCharsets.UTF_8);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/jwks.json", exchange -> {
        jwksFetches.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, jwks.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(jwks);
        }
      });
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWK Set URL to register for the client. */
  public String jwksUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  /** The EC public key as an inline JWK Set (for a client registered with {@code jwks}). */
  public String inlineEcJwks() {
    return new JWKSet(ec.toPublicJWK()).toString(true);
  }

  /** The claims of a well-formed assertion: iss = sub = client, aud = token endpoint, exp in 4 min, a new jti. */
  public static JWTClaimsSet.Builder claims(String clientId, String tokenEndpoint) {
    return new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(tokenEndpoint)
        .expirationTime(Date.from(Instant.now().plusSeconds(240)))
        .jwtID(UUID.randomUUID().toString());
  }

  public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs a SMART Backend Services token request (no client_id, as SMART clients send it). */
  public static HttpResponse<String> requestToken(String tokenEndpoint, String assertion, String scope) {
    return requestToken(tokenEndpoint, assertion, scope, "127.0.0.1");
  }

  /**
   * The same, as if from {@code forwardedFor} (the tests' loopback address is a trusted proxy), so
   * that refusals of one test do not reach the sign-in throttle of another.
   */
  public static HttpResponse<String> requestToken(String tokenEndpoint, String assertion, String scope, String forwardedFor) {
    String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion;
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Accept", "application/json")
          .header("X-Forwarded-For", forwardedFor)
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
