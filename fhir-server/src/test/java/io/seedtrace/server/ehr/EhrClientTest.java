package io.seedtrace.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.seedtrace.server.support.FakeEhr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EHR client authenticates as a SMART Backend Services client: its signed assertion is checked
 * by a real token endpoint over HTTP, the token it gets opens the EHR, and a client with another
 * key gets no token and so delivers nothing.
 */
class EhrClientTest {

  static final String TOKEN = "smart-issued-token";

  @Test
  void smartBackendServicesAssertionIsAcceptedAndItsTokenOpensTheEhr(@TempDir Path dir) throws Exception {
    RSAKey registered = new RSAKeyGenerator(2048).keyID("seedtrace-1").generate();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("seedtrace-1").generate();
    AtomicInteger issued = new AtomicInteger();
    try (FakeEhr ehr = new FakeEhr(TOKEN)) {
      HttpServer tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      String tokenUrl = "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token";
      tokens.createContext("/token", exchange -> {
        try (exchange) {
          Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          boolean ok;
          try {
            SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
            ok = "client_credentials".equals(form.get("grant_type"))
                && "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
                && jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.RS384)
                && jwt.verify(new RSASSAVerifier(registered.toPublicJWK()))
                && "seedtrace".equals(jwt.getJWTClaimsSet().getIssuer())
                && "seedtrace".equals(jwt.getJWTClaimsSet().getSubject())
                && jwt.getJWTClaimsSet().getAudience().contains(tokenUrl)
                && jwt.getJWTClaimsSet().getExpirationTime().after(new Date())
                && jwt.getJWTClaimsSet().getJWTID() != null;
          } catch (Exception bad) {
            ok = false;
          }
          byte[] body = (ok ? "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":300}"
              : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
          if (ok) {
            issued.incrementAndGet();
          }
          exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
          exchange.getResponseBody().write(body);
        }
      });
      tokens.start();
      try {
        Path goodKey = Files.writeString(dir.resolve("good.jwk"), registered.toJSONString());
        Path badKey = Files.writeString(dir.resolve("bad.jwk"), stranger.toJSONString());
        String bundle = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(
            transactionWithOneFlag());

        EhrClient.Result refused = new EhrClient(props(ehr, tokenUrl, badKey), Clock.systemUTC()).send(bundle, "message-1");
        assertThat(refused.delivered()).isFalse();
        assertThat(refused.permanent()).as("an auth problem may be fixed: retried").isFalse();
        assertThat(ehr.created()).isEmpty();

        EhrClient.Result ok = new EhrClient(props(ehr, tokenUrl, goodKey), Clock.systemUTC()).send(bundle, "message-1");
        assertThat(ok.delivered()).as(String.valueOf(ok.error())).isTrue();
        assertThat(ehr.created(Flag.class)).hasSize(1);
        assertThat(issued.get()).isEqualTo(1);
      } finally {
        tokens.stop(0);
      }
    }
  }

  static EhrProperties props(FakeEhr ehr, String tokenUrl, Path key) {
    return new EhrProperties(ehr.baseUrl(), "smart-backend", "", tokenUrl, "seedtrace", "", "system/*.write",
        key.toString(), "", 20, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMillis(500),
        Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  static Bundle transactionWithOneFlag() {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Flag flag = new Flag();
    flag.addIdentifier().setSystem("urn:test").setValue("f1");
    flag.setStatus(Flag.FlagStatus.ACTIVE);
    flag.getCode().setText("test");
    flag.getSubject().setDisplay("someone");
    tx.addEntry().setFullUrl("urn:uuid:1").setResource(flag).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Flag").setIfNoneExist("identifier=urn:test|f1");
    return tx;
  }

  static Map<String, String> form(String body) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1],
          StandardCharsets.UTF_8) : "");
    }
    return m;
  }
}
