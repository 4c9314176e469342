package io.seedtrace.server.network;

import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.util.List;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * What a verified custody message does on the receiving node. An order is kept in the inbox as
 * the manufacturer's open order (named by its order number); a shipment becomes the hospital's
 * SeedShipment (SupplyDelivery, {@code in-progress}) based on the hospital's own order with that
 * number, delivered to the order's delivery place, so the nurse's chip read at receipt finds it as
 * on a single node. A return shipment is kept in the inbox, named by cartridge serial, until the
 * manufacturer confirms it; the count reports to the authority go into its {@link SourceLedger}.
 */
public final class MessageApplication {

  /** How a message was applied: the key it is found by, and the resource it created, if any. */
  public record Applied(String focusKey, String appliedAs) {}

  private final FhirStore store;
  private final SourceLedger ledger;
  private final AdminChannel admin;

  /** @param ledger the authority's ledger; null on a hospital or manufacturer node */
  public MessageApplication(FhirStore store, SourceLedger ledger, AdminChannel admin) {
    this.store = store;
    this.ledger = ledger;
    this.admin = admin;
  }

  /** @throws RefusedMessage (422) when the message does not fit what this node holds */
  public Applied apply(CustodyMessages.Header header) {
    return switch (header.event()) {
      case ORDER -> new Applied(identifier(focus(header, SupplyRequest.class).getIdentifier(), CustodyCodes.SID_ORDER),
          null);
      case SHIPMENT -> shipment(header.senderId(), focus(header, SupplyDelivery.class));
      case RETURN_SHIPMENT -> new Applied(CountSummary.from(focus(header, Parameters.class)).serial(), null);
      case IMPLANT_SUMMARY, SHIPMENT_REPORT, RETURN_RECEIPT -> report(header);
      case DISCREPANCY -> discrepancy(header);
    };
  }

  /**
   * The authority's alert about a cartridge this organisation handled: a SeedAlert (code
   * {@code custody-discrepancy}, the authority's sentence as detail, the cartridge's Device when
   * this node holds it) and a message to this node's administrator.
   */
  private Applied discrepancy(CustodyMessages.Header header) {
    Parameters focus = focus(header, Parameters.class);
    String serial = text(focus, "serial", 200);
    String kind = text(focus, "kind", 64);
    String detail = "The supervising authority " + header.senderId() + " reports " + kind + ": "
        + text(focus, "detail", 2000);
    List<String> device = store.byIdentifier(org.hl7.fhir.r4.model.Device.class, CustodyCodes.SID_SERIAL, serial)
        .stream().map(d -> d.getIdElement().toUnqualifiedVersionless().getValue()).limit(1).toList();
    String id = store.create(Alerts.alert(CustodyEvent.DISCREPANCY.code(),
        org.hl7.fhir.r4.model.DetectedIssue.DetectedIssueSeverity.HIGH, detail, device)).getId()
        .toUnqualifiedVersionless().getValue();
    admin.tell(CustodyEvent.DISCREPANCY.code(), detail, id);
    return new Applied(serial, id);
  }

  private static String text(Parameters p, String name, int max) {
    Parameters.ParametersParameterComponent part = p.getParameter(name);
    String value = part == null || part.getValue() == null ? null : part.getValue().primitiveValue();
    if (value == null || value.isBlank() || value.length() > max) {
      throw new RefusedMessage(400, "custody-discrepancy needs " + name + " (1.." + max + " characters)");
    }
    return value;
  }

  /** A count report to the authority: into the ledger, reconciled there. */
  private Applied report(CustodyMessages.Header header) {
    Parameters focus = focus(header, Parameters.class);
    CountSummary report = CountSummary.from(focus);
    if (ledger == null) {
      throw new RefusedMessage(422, "this node keeps no source ledger");
    }
    ledger.apply(header.messageId(), header.senderId(), header.event(), report, activity(focus, report));
    return new Applied(report.serial(), null);
  }

  /**
   * The remaining seeds' activity a report carries ({@code remainingActivityKbq}, at
   * {@code activityAt}, else at the reported step), or null.
   */
  private static SourceLedger.Activity activity(Parameters focus, CountSummary report) {
    Parameters.ParametersParameterComponent kbq = focus.getParameter("remainingActivityKbq");
    if (kbq == null || kbq.getValue() == null) {
      return null;
    }
    try {
      Parameters.ParametersParameterComponent at = focus.getParameter("activityAt");
      return new SourceLedger.Activity(((org.hl7.fhir.r4.model.DecimalType) kbq.getValue()).getValueAsNumber()
          .doubleValue(), at == null ? report.occurredAt()
          : ((org.hl7.fhir.r4.model.DateTimeType) at.getValue()).getValue().toInstant());
    } catch (ClassCastException | NullPointerException | IllegalArgumentException bad) {
      throw new RefusedMessage(400, "remainingActivityKbq must be a decimal of kBq (and activityAt a dateTime)");
    }
  }

  private Applied shipment(String senderId, SupplyDelivery announced) {
    String orderNumber = announced.getBasedOn().stream().map(Reference::getIdentifier)
        .filter(id -> CustodyCodes.SID_ORDER.equals(id.getSystem())).map(Identifier::getValue).findFirst()
        .orElseThrow(() -> new RefusedMessage(422, "the shipment names no order (basedOn.identifier "
            + CustodyCodes.SID_ORDER + ")"));
    List<SupplyRequest> orders = store.byIdentifier(SupplyRequest.class, CustodyCodes.SID_ORDER, orderNumber);
    if (orders.size() != 1) {
      throw new RefusedMessage(422, "this hospital has " + (orders.isEmpty() ? "no" : "more than one")
          + " order " + orderNumber);
    }
    SupplyRequest order = orders.get(0);
    SupplyDelivery shipment = announced.copy();
    shipment.setId((String) null);
    shipment.setMeta(new org.hl7.fhir.r4.model.Meta().addProfile(CustodyCodes.PROFILE_SHIPMENT));
    shipment.setBasedOn(new java.util.ArrayList<>(List.of(new Reference(order.getIdElement()
        .toUnqualifiedVersionless().getValue()))));
    shipment.setStatus(SupplyDelivery.SupplyDeliveryStatus.INPROGRESS);
    shipment.setSupplier(supplier(senderId));
    shipment.setDestination(order.getDeliverTo().copy());
    String id = store.create(shipment).getId().toUnqualifiedVersionless().getValue();
    return new Applied(identifier(shipment.getSuppliedItem().getItemReference().getIdentifier(),
        CustodyCodes.SID_SERIAL), id);
  }

  /** The manufacturer's Organization as registered here, else a reference by its network id. */
  private Reference supplier(String senderId) {
    List<Organization> known = store.byIdentifier(Organization.class, CustodyMessages.SID_ORGANIZATION, senderId);
    return known.size() == 1 ? new Reference(known.get(0).getIdElement().toUnqualifiedVersionless().getValue())
        : CustodyMessages.organization(senderId);
  }

  private static <T extends Resource> T focus(CustodyMessages.Header header, Class<T> type) {
    return header.focus().stream().filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new RefusedMessage(400, header.event().code() + " needs a " + type.getSimpleName()
            + " as its focus"));
  }

  private static String identifier(List<Identifier> ids, String system) {
    return ids.stream().filter(i -> system.equals(i.getSystem()) && i.hasValue()).map(Identifier::getValue)
        .findFirst().orElseThrow(() -> new RefusedMessage(400, "the focus has no identifier " + system));
  }

  private static String identifier(Identifier id, String system) {
    return identifier(id == null ? List.of() : List.of(id), system);
  }
}
