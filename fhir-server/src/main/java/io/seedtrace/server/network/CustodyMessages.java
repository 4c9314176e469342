package io.seedtrace.server.network;

import io.seedtrace.server.custody.CustodyCodes;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Custody messages as FHIR messages: a Bundle of type {@code message} whose first entry is a
 * MessageHeader (event from {@link CustodyEvent}, sender and receiver named by organisation id,
 * the message's resources as its focus), identified by {@code Bundle.identifier} (a urn:uuid, the
 * message id the receiver is idempotent on).
 */
public final class CustodyMessages {

  /** Organisation ids of the network (the id each node configures as seedtrace.node.organization.id). */
  public static final String SID_ORGANIZATION = CustodyCodes.BASE + "sid/organization";
  static final String URN_SYSTEM = "urn:ietf:rfc:3986";

  /** What the receiver reads from a message before it believes any of it. */
  public record Header(String messageId, CustodyEvent event, String senderId, String receiverId, List<Resource> focus) {}

  private CustodyMessages() {}

  /** A new, unsigned message from this node to {@code peerId} about {@code focus}. */
  public static Bundle message(CustodyEvent event, NodeProperties self, String peerId, NodeProperties.Peer peer,
      List<? extends Resource> focus) {
    String messageId = "urn:uuid:" + UUID.randomUUID();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE).setTimestamp(new Date());
    bundle.setIdentifier(new Identifier().setSystem(URN_SYSTEM).setValue(messageId));
    MessageHeader header = new MessageHeader();
    header.setEvent(new org.hl7.fhir.r4.model.Coding(CustodyEvent.SYSTEM, event.code(), null));
    header.getSource().setName(self.organization().name()).setEndpoint(self.sourceEndpoint());
    header.setSender(organization(self.organization().id()));
    header.addDestination().setName(peer.name()).setEndpoint(peer.messagesUrl()).setReceiver(organization(peerId));
    bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(header);
    for (Resource resource : focus) {
      String fullUrl = "urn:uuid:" + UUID.randomUUID();
      bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
      header.addFocus(new Reference(fullUrl));
    }
    return bundle;
  }

  static Reference organization(String id) {
    return new Reference().setIdentifier(new Identifier().setSystem(SID_ORGANIZATION).setValue(id));
  }

  /**
   * Reads the envelope of a received message.
   *
   * @throws RefusedMessage (400) when it is not a custody message: another bundle type, no
   *     MessageHeader first, no message id, an event not of {@link CustodyEvent}, no sender or receiver
   */
  public static Header read(Bundle bundle) {
    if (bundle.getType() != Bundle.BundleType.MESSAGE) {
      throw new RefusedMessage(400, "a custody message is a Bundle of type message, not " + bundle.getType());
    }
    if (!bundle.hasIdentifier() || !bundle.getIdentifier().hasValue()) {
      throw new RefusedMessage(400, "the message has no id (Bundle.identifier.value)");
    }
    if (bundle.getEntry().isEmpty() || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      throw new RefusedMessage(400, "the first entry of a message must be its MessageHeader");
    }
    CustodyEvent event = CustodyEvent.fromCode(header.getEventCoding().getSystem(), header.getEventCoding().getCode())
        .orElseThrow(() -> new RefusedMessage(400, "MessageHeader.eventCoding " + header.getEventCoding().getSystem()
            + "|" + header.getEventCoding().getCode() + " is not a custody event of " + CustodyEvent.SYSTEM));
    String sender = organizationId(header.getSender(), "MessageHeader.sender");
    if (header.getDestination().size() != 1) {
      throw new RefusedMessage(400, "a custody message has exactly one destination");
    }
    String receiver = organizationId(header.getDestinationFirstRep().getReceiver(), "MessageHeader.destination.receiver");
    List<Resource> focus = new ArrayList<>();
    for (Reference ref : header.getFocus()) {
      focus.add(bundle.getEntry().stream().filter(e -> ref.getReference() != null && ref.getReference().equals(e.getFullUrl()))
          .map(Bundle.BundleEntryComponent::getResource).findFirst()
          .orElseThrow(() -> new RefusedMessage(400, "MessageHeader.focus " + ref.getReference() + " is not in the bundle")));
    }
    return new Header(bundle.getIdentifier().getValue(), event, sender, receiver, focus);
  }

  private static String organizationId(Reference reference, String where) {
    Identifier id = reference.getIdentifier();
    if (!SID_ORGANIZATION.equals(id.getSystem()) || !id.hasValue()) {
      throw new RefusedMessage(400, where + " must name an organisation by identifier " + SID_ORGANIZATION);
    }
    return id.getValue();
  }
}
