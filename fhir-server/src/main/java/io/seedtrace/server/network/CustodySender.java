package io.seedtrace.server.network;

import ca.uhn.fhir.context.FhirContext;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.custody.OrderDispatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * Sends custody messages: builds the FHIR message, signs it with this node's key, queues it in the
 * {@link NetworkOutbox} (in order per stream: an order number or a cartridge serial) and records
 * the step in the audit chain. Usage:
 * <pre>{@code sender.send(CustodyEvent.SHIPMENT, "HOSP-001", "ORD-42", List.of(shipment), "manufacturer-cli");}</pre>
 */
public final class CustodySender {

  private final NodeProperties node;
  private final NodeKey key;
  private final NetworkOutbox outbox;
  private final FhirStore store;
  private final AuditTrail audit;

  public CustodySender(NodeProperties node, NodeKey key, NetworkOutbox outbox, FhirStore store, AuditTrail audit) {
    this.node = node;
    this.key = key;
    this.outbox = outbox;
    this.store = store;
    this.audit = audit;
  }

  /**
   * Queues a signed message; returns its message id.
   *
   * @throws IllegalArgumentException when this node's role may not send the event, or the peer is
   *     not a trusted node of the role the event goes to
   */
  public String send(CustodyEvent event, String peerId, String streamKey, List<? extends Resource> focus,
      String actor) {
    if (!node.role().sends(event)) {
      throw new IllegalArgumentException("a " + node.role().configName() + " node does not send " + event.code());
    }
    NodeProperties.Peer peer = node.peers().get(peerId);
    if (peer == null || peer.revoked() || !event.goesTo(peer.role())) {
      throw new IllegalArgumentException(peerId + " is not a trusted " + event.receivers()
          + " node of this one");
    }
    Bundle signed = MessageSignature.sign(CustodyMessages.message(event, node, peerId, peer, focus), key.key(),
        node.organization().id());
    String messageId = signed.getIdentifier().getValue();
    outbox.enqueue(peerId, streamKey, event, messageId,
        FhirContext.forR4Cached().newJsonParser().encodeResourceToString(signed));
    audit.record(actor, "", "network-send", AuditEvent.AuditEventAction.C, "custody message",
        AuditTrail.Outcome.SUCCESS, event.code() + " message " + messageId + " queued for " + peerId);
    outbox.kick();
    return messageId;
  }

  /**
   * The trusted peer an event goes to: the one named {@code preferred} when it has the right role,
   * else the only one of that role.
   */
  public Optional<String> peerFor(CustodyEvent event, Optional<String> preferred) {
    Map<String, NodeProperties.Peer> peers = node.peers();
    if (preferred.isPresent() && peers.containsKey(preferred.get())
        && event.goesTo(peers.get(preferred.get()).role()) && !peers.get(preferred.get()).revoked()) {
      return preferred;
    }
    List<String> ofRole = peers.entrySet().stream().filter(p -> event.goesTo(p.getValue().role())
        && !p.getValue().revoked()).map(Map.Entry::getKey).toList();
    return ofRole.size() == 1 ? Optional.of(ofRole.get(0)) : Optional.empty();
  }

  /**
   * Orders go to the manufacturer's node named by the order's supplier (its Organization's
   * identifier {@value CustodyMessages#SID_ORGANIZATION}) or to the one manufacturer peer; with no
   * manufacturer peer (a single node), to {@code fallback}.
   */
  public OrderDispatch orderDispatch(OrderDispatch fallback) {
    return order -> {
      Optional<String> peer = node.role().sends(CustodyEvent.ORDER)
          ? peerFor(CustodyEvent.ORDER, supplierId(order)) : Optional.empty();
      if (peer.isEmpty()) {
        fallback.accepted(order);
        return;
      }
      String number = order.getIdentifier().stream().filter(i -> CustodyCodes.SID_ORDER.equals(i.getSystem()))
          .map(Identifier::getValue).findFirst().orElse(order.getIdElement().getIdPart());
      send(CustodyEvent.ORDER, peer.get(), number, List.of(forPeer(order, peer.get())), "node:" + node.organization().id());
    };
  }

  private Optional<String> supplierId(SupplyRequest order) {
    return order.getSupplier().stream().findFirst().flatMap(ref -> store.readOptional(Organization.class,
        ref.getReferenceElement().getIdPart())).flatMap(org -> org.getIdentifier().stream()
            .filter(i -> CustodyMessages.SID_ORGANIZATION.equals(i.getSystem())).map(Identifier::getValue).findFirst());
  }

  /** The order as the manufacturer can read it: parties by network id, the delivery place by its address. */
  private SupplyRequest forPeer(SupplyRequest order, String peerId) {
    SupplyRequest copy = order.copy();
    copy.setId((String) null);
    copy.setRequester(CustodyMessages.organization(node.organization().id()).setDisplay(node.organization().name()));
    copy.setSupplier(new java.util.ArrayList<>(List.of(CustodyMessages.organization(peerId))));
    String placeId = order.getDeliverTo().getReferenceElement().getIdPart();
    Optional<Location> place = placeId == null ? Optional.empty() : store.readOptional(Location.class, placeId);
    copy.setDeliverTo(new Reference().setDisplay(place.map(CustodySender::describe).orElse("see the ordering hospital")));
    copy.getExtension().removeIf(e -> e.getValue() instanceof Reference);
    return copy;
  }

  private static String describe(Location place) {
    org.hl7.fhir.r4.model.Address a = place.getAddress();
    return place.getName() + ", " + String.join(" ", a.getLine().stream().map(org.hl7.fhir.r4.model.StringType::getValue).toList()) + ", "
        + a.getCity() + ", " + a.getCountry();
  }

  /**
   * Announces a shipment to the hospital whose order it fills (the sender of the received order
   * with that number) and, when this node has an authority peer, reports it there
   * ({@code custody-shipment-report}: serial, order, hospital, seeds shipped).
   *
   * @throws IllegalArgumentException when the shipment names no order this node received
   */
  public String ship(SupplyDelivery shipment, NetworkInbox inbox, String actor) {
    String number = shipment.getBasedOn().stream().map(Reference::getIdentifier)
        .filter(id -> CustodyCodes.SID_ORDER.equals(id.getSystem())).map(Identifier::getValue).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the shipment must name its order by basedOn.identifier ("
            + CustodyCodes.SID_ORDER + ")"));
    if (!shipment.getSuppliedItem().getItemReference().getIdentifier().hasValue()) {
      throw new IllegalArgumentException("the shipment must name the cartridge by suppliedItem.itemReference.identifier ("
          + CustodyCodes.SID_SERIAL + ")");
    }
    String hospital = inbox.senderOf(CustodyEvent.ORDER, number).orElseThrow(() -> new IllegalArgumentException(
        "no order " + number + " was received from a hospital"));
    String messageId = send(CustodyEvent.SHIPMENT, hospital, number, List.of(shipment), actor);
    peerFor(CustodyEvent.SHIPMENT_REPORT, Optional.empty()).ifPresent(authority -> {
      String serial = shipment.getSuppliedItem().getItemReference().getIdentifier().getValue();
      Instant at = shipment.hasOccurrenceDateTimeType() ? shipment.getOccurrenceDateTimeType().getValue().toInstant()
          : Instant.now();
      CountSummary report = new CountSummary(serial, number, hospital, seedsShipped(shipment, number, inbox), null,
          null, null, null, null, null, at);
      send(CustodyEvent.SHIPMENT_REPORT, authority, "report:" + serial, List.of(report.toParameters()), actor);
    });
    return messageId;
  }

  /** The seeds shipped: the shipment's quantity when given in seeds, else the quantity of the order it fills. */
  private static Integer seedsShipped(SupplyDelivery shipment, String orderNumber, NetworkInbox inbox) {
    Quantity q = shipment.getSuppliedItem().getQuantity();
    if (q.hasValue() && "{seeds}".equals(q.getCode())) {
      return q.getValue().intValue();
    }
    return inbox.focusOf(CustodyEvent.ORDER, orderNumber).flatMap(focus -> focus.stream()
        .filter(SupplyRequest.class::isInstance).map(r -> ((SupplyRequest) r).getQuantity()).findFirst())
        .filter(Quantity::hasValue).map(o -> o.getValue().intValue()).orElse(null);
  }
}
