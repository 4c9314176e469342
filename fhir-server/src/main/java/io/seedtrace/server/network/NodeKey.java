package io.seedtrace.server.network;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * This node's message-signing key: an RSA key kept like the token signing key
 * ({@link io.seedtrace.server.security.SigningKeyStore}: a file in the data directory, or the
 * cluster's key vault), but its own, so that rotating one does not touch the other. Its public half
 * is published at {@value NetworkEndpoints#JWKS_PATH}.
 */
public record NodeKey(RSAKey key) {

  public NodeKey {
    if (key == null || !key.isPrivate()) {
      throw new IllegalArgumentException("the node's signing key must be a private RSA key");
    }
  }

  /** The public JWK Set peers verify this node's messages with. */
  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }
}
