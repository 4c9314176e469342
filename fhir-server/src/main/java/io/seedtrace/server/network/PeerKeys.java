package io.seedtrace.server.network;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of the trusted peers, read from each peer's JWKS URL and kept for
 * {@link #FRESH}; a key id not in the kept set is looked up again, at most once per
 * {@link #RETRY} per peer, so a peer's key rotation is picked up and a flood of unknown key ids
 * does not turn into a flood of requests. A JWKS larger than 64 KiB is refused.
 */
public final class PeerKeys {

  private static final Logger LOG = LoggerFactory.getLogger(PeerKeys.class);
  static final Duration FRESH = Duration.ofMinutes(5);
  static final Duration RETRY = Duration.ofSeconds(10);
  private static final int MAX_BYTES = 64 * 1024;

  private record Fetched(JWKSet keys, Instant at) {}

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();

  public PeerKeys(Duration timeout, Clock clock) {
    this.timeout = timeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The peer's public key with id {@code kid}, or empty when the peer has none such (or cannot be reached). */
  public Optional<JWK> find(NodeProperties.Peer peer, String kid) {
    String url = peer.keysUrl();
    Fetched known = fetched.get(url);
    Instant now = clock.instant();
    boolean fresh = known != null && known.at().plus(FRESH).isAfter(now);
    if (known != null && (known.keys().getKeyByKeyId(kid) != null && fresh || known.at().plus(RETRY).isAfter(now))) {
      return Optional.ofNullable(known.keys().getKeyByKeyId(kid));
    }
    try {
      JWKSet keys = fetch(url).toPublicJWKSet();
      fetched.put(url, new Fetched(keys, now));
      return Optional.ofNullable(keys.getKeyByKeyId(kid));
    } catch (Exception e) {
      LOG.warn("cannot read the keys of peer {} at {}: {}", peer.name(), url, e.getMessage());
      fetched.put(url, new Fetched(known == null ? new JWKSet() : known.keys(), now));
      return known == null ? Optional.empty() : Optional.ofNullable(known.keys().getKeyByKeyId(kid));
    }
  }

  private JWKSet fetch(String url) throws Exception {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Accept", "application/jwk-set+json, application/json").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    if (response.body().length > MAX_BYTES) {
      throw new IllegalStateException("JWKS larger than " + MAX_BYTES + " bytes");
    }
    return JWKSet.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
