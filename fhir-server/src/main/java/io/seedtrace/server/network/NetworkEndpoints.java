package io.seedtrace.server.network;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import io.seedtrace.server.security.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The node's HTTP face to the network (docs/network.md):
 * <ul>
 *   <li>{@code GET /.well-known/jwks.json} (open): the node's public message-signing key;</li>
 *   <li>{@code GET /.well-known/seedtrace-node} (open): role, organisation, where messages go;</li>
 *   <li>{@code POST /network/$process-message} (open to the network, authenticated by the
 *       message's signature against the configured peers, see {@link NetworkInbox});</li>
 *   <li>{@code POST /network/shipments} (manufacturer or admin token, manufacturer node): announce a
 *       shipment (a SeedShipment SupplyDelivery naming the order) to the ordering hospital;</li>
 *   <li>{@code GET /network/messages} (admin, auditor or manufacturer token): what was received
 *       and sent, and each sent message's delivery state.</li>
 * </ul>
 */
@RestController
public class NetworkEndpoints {

  public static final String JWKS_PATH = "/.well-known/jwks.json";
  public static final String NODE_PATH = "/.well-known/seedtrace-node";
  public static final String MESSAGES_PATH = "/network/$process-message";
  static final String FHIR_JSON = "application/fhir+json";

  private final NodeProperties node;
  private final NodeKey key;
  private final NetworkInbox inbox;
  private final NetworkOutbox outbox;
  private final CustodySender sender;

  public NetworkEndpoints(NodeProperties node, NodeKey key, NetworkInbox inbox, NetworkOutbox outbox,
      CustodySender sender) {
    this.node = node;
    this.key = key;
    this.inbox = inbox;
    this.outbox = outbox;
    this.sender = sender;
  }

  @GetMapping(path = JWKS_PATH, produces = "application/jwk-set+json")
  public Map<String, Object> keys() {
    return key.publicKeys().toJSONObject(true);
  }

  @GetMapping(path = NODE_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> describe() {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("role", node.role().configName());
    description.put("organization", Map.of("id", node.organization().id(), "name", node.organization().name()));
    description.put("jwks_uri", JWKS_PATH);
    description.put("process_message", MESSAGES_PATH);
    description.put("events_sent", java.util.Arrays.stream(CustodyEvent.values()).filter(node.role()::sends)
        .map(CustodyEvent::code).toList());
    return description;
  }

  @PostMapping(path = MESSAGES_PATH)
  public ResponseEntity<String> processMessage(@RequestBody String body) {
    NetworkInbox.Answer answer = inbox.receive(body);
    return fhir(answer.status(), answer.outcome());
  }

  @PostMapping(path = "/network/shipments")
  public ResponseEntity<String> ship(@RequestBody String body, Authentication caller) {
    if (!has(caller, Role.MANUFACTURER, Role.ADMIN)) {
      return fhir(403, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 403,
          "announcing a shipment needs the manufacturer or admin role"));
    }
    try {
      SupplyDelivery shipment = FhirContext.forR4Cached().newJsonParser().parseResource(SupplyDelivery.class, body);
      String messageId = sender.ship(shipment, inbox, caller.getName());
      return fhir(202, NetworkInbox.outcome(OperationOutcome.IssueSeverity.INFORMATION, 200,
          "shipment queued as message " + messageId));
    } catch (DataFormatException | ClassCastException | IllegalArgumentException bad) {
      return fhir(400, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 400, bad.getMessage()));
    }
  }

  @GetMapping(path = "/network/messages", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> messages(@RequestParam(name = "event", required = false) String event,
      @RequestParam(name = "_count", defaultValue = "100") int count, Authentication caller) {
    if (!has(caller, Role.ADMIN, Role.AUDITOR, Role.MANUFACTURER)) {
      return ResponseEntity.status(403).contentType(MediaType.parseMediaType(FHIR_JSON)).body(encode(
          NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 403, "needs the admin, auditor or manufacturer role")));
    }
    int limit = Math.min(Math.max(count, 1), 1000);
    Map<String, Object> listing = new LinkedHashMap<>();
    listing.put("received", inbox.received(event, limit));
    listing.put("sent", outbox.entries(limit));
    listing.put("sentByStatus", outbox.counts());
    return ResponseEntity.ok(listing);
  }

  static boolean has(Authentication caller, Role... roles) {
    return caller != null && caller.getAuthorities().stream().anyMatch(a -> java.util.Arrays.stream(roles)
        .anyMatch(r -> r.authority().equals(a.getAuthority())));
  }

  static ResponseEntity<String> fhir(int status, OperationOutcome outcome) {
    return ResponseEntity.status(status).contentType(MediaType.parseMediaType(FHIR_JSON)).body(encode(outcome));
  }

  private static String encode(OperationOutcome outcome) {
    return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(outcome);
  }
}
