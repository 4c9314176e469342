package io.seedtrace.server.ehr;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.UUID;

/**
 * The signed client assertion of SMART Backend Services (private_key_jwt): a JWT with iss = sub =
 * the client id, aud = the token endpoint, a fresh jti and a five-minute expiry, signed RS384 (RSA
 * key) or ES384 (P-384 EC key) with the private key read from a JWK file, whose public half the EHR
 * has registered for this client.
 */
final class SmartClientAssertion {

  private SmartClientAssertion() {}

  static String create(EhrProperties p, Clock clock) throws IOException {
    try {
      JWK jwk = JWK.parse(Files.readString(Path.of(p.privateKeyFile())));
      JWSAlgorithm alg;
      JWSSigner signer;
      if (jwk instanceof RSAKey rsa) {
        alg = JWSAlgorithm.RS384;
        signer = new RSASSASigner(rsa);
      } else if (jwk instanceof ECKey ec) {
        alg = JWSAlgorithm.ES384;
        signer = new ECDSASigner(ec);
      } else {
        throw new IOException("the SMART key must be an RSA or EC private key in JWK form");
      }
      String kid = p.keyId().isBlank() ? jwk.getKeyID() : p.keyId();
      Date now = Date.from(clock.instant());
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(p.clientId()).subject(p.clientId())
          .audience(p.tokenUrl()).jwtID(UUID.randomUUID().toString()).issueTime(now)
          .expirationTime(new Date(now.getTime() + 300_000)).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(com.nimbusds.jose.JOSEObjectType.JWT)
          .build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (ParseException | JOSEException e) {
      throw new IOException("cannot sign the SMART client assertion with " + p.privateKeyFile() + ": "
          + e.getMessage(), e);
    }
  }
}
