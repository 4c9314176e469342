package io.seedtrace.server.network;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This node's place in the supervision network ({@code seedtrace.node.*}); see docs/network.md.
 *
 * @param role hospital (default), manufacturer or authority
 * @param organization the organisation this node speaks for: its id is what peers configure and
 *     what MessageHeader.sender names
 * @param publicUrl the base URL other nodes reach this node at (MessageHeader.source.endpoint);
 *     empty: {@code urn:seedtrace:node:<organization id>}
 * @param peers the trusted nodes of other organisations, by organisation id; a message from any
 *     other sender is refused
 * @param delivery how the outbox sends to peers
 */
@ConfigurationProperties("seedtrace.node")
public record NodeProperties(
    @DefaultValue("hospital") NodeRole role,
    @DefaultValue Organization organization,
    @DefaultValue("") String publicUrl,
    Map<String, Peer> peers,
    @DefaultValue Delivery delivery) {

  public NodeProperties {
    peers = peers == null ? Map.of() : Map.copyOf(peers);
    peers.forEach((id, peer) -> {
      if (peer.role() == null || peer.baseUrl() == null || peer.baseUrl().isBlank()) {
        throw new IllegalStateException("seedtrace.node.peers." + id + ": role and base-url are required");
      }
    });
  }

  /** The organisation a node speaks for. */
  public record Organization(@DefaultValue("SEEDTRACE-HOSPITAL") String id, @DefaultValue("SeedTrace hospital") String name) {}

  /**
   * A trusted peer node.
   *
   * @param role what the peer is; it may only send the events of that role
   * @param name the organisation's name, for people
   * @param baseUrl where its messages go ({@code <base-url>/network/$process-message})
   * @param jwksUri its public keys; empty: {@code <base-url>/.well-known/jwks.json}
   * @param revoked true: its messages are refused and nothing is sent to it any more
   */
  public record Peer(NodeRole role, @DefaultValue("") String name, String baseUrl, @DefaultValue("") String jwksUri,
      @DefaultValue("false") boolean revoked) {

    public String keysUrl() {
      return jwksUri.isBlank() ? strip(baseUrl) + NetworkEndpoints.JWKS_PATH : jwksUri;
    }

    public String messagesUrl() {
      return strip(baseUrl) + NetworkEndpoints.MESSAGES_PATH;
    }

    private static String strip(String url) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
  }

  /**
   * @param pollPeriod how often the outbox is looked at (a new message is also sent at once)
   * @param initialBackoff wait after the first failed attempt; doubled after each further failure
   * @param maxBackoff the longest wait between two attempts
   * @param giveUpAfter how long a message is retried before it becomes a dead letter
   * @param timeout one request to a peer
   * @param lease how long a node holds a message it is sending before another node may take it over
   */
  public record Delivery(@DefaultValue("5s") Duration pollPeriod, @DefaultValue("2s") Duration initialBackoff,
      @DefaultValue("10m") Duration maxBackoff, @DefaultValue("7d") Duration giveUpAfter,
      @DefaultValue("10s") Duration timeout, @DefaultValue("1m") Duration lease) {}

  /** Where messages from this node say they come from. */
  public String sourceEndpoint() {
    return publicUrl.isBlank() ? "urn:seedtrace:node:" + organization.id() : publicUrl;
  }
}
