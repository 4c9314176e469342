package io.seedtrace.server.custody;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.ChipPayloadException;
import io.seedtrace.core.chip.CoseSign1;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.store.FhirStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * Receipt of a cartridge: {@code POST /fhir/Device/$chip-read}. The payload is verified against
 * the manufacturers' registered keys and decoded (all or nothing); the SeedCartridge Device, the
 * shipped count (SeedCount L0), the completed shipment and the Provenance are stored in one
 * transaction; data that disagree with the order or shipment raise a SeedAlert. Reading the same
 * payload again changes nothing and answers with the same Device.
 */
public final class ChipReceipt {

  /** What the reader is told. */
  public record Receipt(String deviceId, boolean replay, InitialBlock initial, Optional<String> shipmentId,
      Optional<String> orderId, List<String> alertIds, List<String> findings) {}

  private final FhirStore store;
  private final CustodyTables tables;
  private final ManufacturerKeys manufacturers;
  private final CoseSign1.KeyResolver hospitalKeys;
  private final AuditTrail audit;
  private final AdminChannel admin;
  private final double activityTolerance;

  public ChipReceipt(FhirStore store, CustodyTables tables, ManufacturerKeys manufacturers,
      CoseSign1.KeyResolver hospitalKeys, AuditTrail audit, AdminChannel admin, double activityTolerance) {
    this.store = store;
    this.tables = tables;
    this.manufacturers = manufacturers;
    this.hospitalKeys = hospitalKeys;
    this.audit = audit;
    this.admin = admin;
    this.activityTolerance = activityTolerance;
  }

  public synchronized Receipt read(byte[] payload, String readerId, Caller caller) {
    ChipPayloadCodec.Decoded decoded = decodeOrRefuse(payload, readerId, caller);
    InitialBlock initial = decoded.initial();
    String sha = sha256(payload);
    Optional<CustodyTables.ChipRow> known = tables.chip(initial.cartridgeSerial());
    if (known.isPresent()) {
      return reread(known.get(), decoded, payload, sha, readerId, caller);
    }
    String kid = new String(decoded.manufacturerKid(), StandardCharsets.UTF_8);
    Organization maker = manufacturers.lookup(kid).orElseThrow().organization();
    Optional<SupplyDelivery> shipment = shipmentOf(initial.cartridgeSerial());
    Optional<SupplyRequest> order = shipment.flatMap(s -> s.hasBasedOn()
        ? store.readOptional(SupplyRequest.class, s.getBasedOnFirstRep().getReference()) : Optional.empty());
    List<String> findings = findings(initial, maker, shipment, order);
    return receive(initial, sha, payload, maker, shipment, order, findings, readerId, caller);
  }

  /** The decoded payload, or an alert, an audit entry, an admin message and a 422. */
  private ChipPayloadCodec.Decoded decodeOrRefuse(byte[] payload, String readerId, Caller caller) {
    try {
      return ChipPayloadCodec.decode(payload, manufacturers, hospitalKeys);
    } catch (ChipPayloadException refused) {
      DetectedIssue alert = Alerts.alert("chip-payload-refused", DetectedIssue.DetectedIssueSeverity.HIGH,
          "Chip payload from reader " + readerId + " refused: " + refused.getMessage(), List.of());
      String alertId = store.create(alert).getId().toUnqualifiedVersionless().getValue();
      audit.record(caller.actor(), caller.peer(), "chip-read", AuditEvent.AuditEventAction.C, alertId,
          AuditTrail.Outcome.REFUSED, "reader " + readerId + ": " + refused.reason());
      admin.tell("chip-payload-refused", "A chip payload from reader " + readerId + " was refused ("
          + refused.getMessage() + "); see " + alertId, alertId);
      throw refusal(refused.reason().name(), refused.getMessage());
    }
  }

  /** Where the chip disagrees with its signer, its shipment or its order (empty when it agrees). */
  private List<String> findings(InitialBlock initial, Organization maker, Optional<SupplyDelivery> shipment,
      Optional<SupplyRequest> order) {
    List<String> findings = new ArrayList<>();
    if (maker.hasName() && !maker.getName().equals(initial.manufacturer())) {
      findings.add("the chip names manufacturer '" + initial.manufacturer() + "' but is signed with the key of '"
          + maker.getName() + "'");
    }
    if (shipment.isEmpty()) {
      findings.add("no shipment names cartridge " + initial.cartridgeSerial());
    }
    order.ifPresent(o -> compareWithOrder(o, initial, findings));
    shipment.ifPresent(s -> {
      if (s.getStatus() == SupplyDelivery.SupplyDeliveryStatus.COMPLETED && s.getSuppliedItem().hasItemReference()
          && s.getSuppliedItem().getItemReference().hasReference()) {
        findings.add("shipment " + s.getIdentifierFirstRep().getValue() + " was already received");
      }
      String makerId = maker.getIdElement().toUnqualifiedVersionless().getValue();
      if (s.hasSupplier() && s.getSupplier().hasReference() && !s.getSupplier().getReference().equals(makerId)) {
        findings.add("the shipment's supplier is " + s.getSupplier().getReference() + ", the chip was signed by "
            + makerId);
      }
    });
    return findings;
  }

  /**
   * Stores the cartridge, its shipped count, the completed shipment, an alert for the findings and
   * the Provenance in one transaction, then keeps the payload and records the audit entry.
   */
  private Receipt receive(InitialBlock initial, String sha, byte[] payload, Organization maker,
      Optional<SupplyDelivery> shipment, Optional<SupplyRequest> order, List<String> findings, String readerId,
      Caller caller) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String deviceUrl = FhirStore.addCreate(tx, cartridge(initial, sha, maker, order),
        "Device?identifier=" + CustodyCodes.SID_SERIAL + "|" + initial.cartridgeSerial());
    String shippedUrl = FhirStore.addCreate(tx, count("seed-count-shipped", initial.seedCount(), deviceUrl), null);
    List<String> targets = new ArrayList<>(List.of(deviceUrl, shippedUrl));
    shipment.ifPresent(s -> {
      s.setStatus(SupplyDelivery.SupplyDeliveryStatus.COMPLETED);
      s.getSuppliedItem().setItem(new Reference(deviceUrl).setIdentifier(
          new org.hl7.fhir.r4.model.Identifier().setSystem(CustodyCodes.SID_SERIAL).setValue(initial.cartridgeSerial())));
      s.setOccurrence(new DateTimeType(new Date()));
      FhirStore.addUpdate(tx, s);
      targets.add(s.getIdElement().toUnqualifiedVersionless().getValue());
    });
    int alertIndex = -1;
    if (!findings.isEmpty()) {
      List<String> implicated = new ArrayList<>(List.of(deviceUrl));
      order.ifPresent(o -> implicated.add(o.getIdElement().toUnqualifiedVersionless().getValue()));
      alertIndex = tx.getEntry().size();
      FhirStore.addCreate(tx, Alerts.alert("order-mismatch", DetectedIssue.DetectedIssueSeverity.MODERATE,
          "Cartridge " + initial.cartridgeSerial() + ": " + String.join("; ", findings) + ".", implicated), null);
    }
    FhirStore.addCreate(tx, Provenances.of(targets, caller.actor(), "chip-read", "reader " + readerId), null);
    List<String> ids = FhirStore.locations(store.transaction(tx));
    String deviceId = ids.get(0);
    tables.saveChip(new CustodyTables.ChipRow(initial.cartridgeSerial(), deviceId, sha, payload));
    List<String> alerts = alertIndex < 0 ? List.of() : List.of(ids.get(alertIndex));
    audit.record(caller.actor(), caller.peer(), "chip-read", AuditEvent.AuditEventAction.C, deviceId,
        AuditTrail.Outcome.SUCCESS, "reader " + readerId + ", cartridge " + initial.cartridgeSerial() + ", "
            + initial.seedCount() + " seeds" + (alerts.isEmpty() ? "" : ", alert " + alerts.get(0)));
    return new Receipt(deviceId, false, initial, shipment.map(s -> s.getIdElement().toUnqualifiedVersionless().getValue()),
        order.map(o -> o.getIdElement().toUnqualifiedVersionless().getValue()), alerts, findings);
  }

  private Receipt reread(CustodyTables.ChipRow row, ChipPayloadCodec.Decoded decoded, byte[] payload, String sha,
      String readerId, Caller caller) {
    boolean same = row.sha256().equals(sha);
    if (!same) {
      ChipPayloadCodec.Decoded stored;
      try {
        stored = ChipPayloadCodec.decode(row.payload(), manufacturers, hospitalKeys);
      } catch (ChipPayloadException e) {
        throw new IllegalStateException("stored chip of " + row.serial() + " no longer decodes: " + e.getMessage(), e);
      }
      boolean sameCartridge = stored.initial().equals(decoded.initial());
      boolean storedIsSealedVersion = stored.sealing().isPresent();
      if (!sameCartridge || (storedIsSealedVersion && decoded.sealing().isEmpty())) {
        String why = !sameCartridge ? "a different initial block for the already received cartridge " + row.serial()
            : "the cartridge " + row.serial() + " is sealed but this chip shows no sealing block";
        DetectedIssue alert = Alerts.alert("chip-payload-refused", DetectedIssue.DetectedIssueSeverity.HIGH,
            "Chip payload from reader " + readerId + " refused: " + why, List.of(row.deviceId()));
        String alertId = store.create(alert).getId().toUnqualifiedVersionless().getValue();
        audit.record(caller.actor(), caller.peer(), "chip-read", AuditEvent.AuditEventAction.R, row.deviceId(),
            AuditTrail.Outcome.REFUSED, "reader " + readerId + ": " + why);
        admin.tell("chip-payload-refused", "Reader " + readerId + " presented " + why + "; see " + alertId, alertId);
        throw refusal("CONFLICT", why);
      }
      // a sealed chip read back, or the same cartridge read by another reader: nothing new to store
    }
    audit.record(caller.actor(), caller.peer(), "chip-read", AuditEvent.AuditEventAction.R, row.deviceId(),
        AuditTrail.Outcome.SUCCESS, "reader " + readerId + ", cartridge " + row.serial() + " read again");
    return new Receipt(row.deviceId(), true, decoded.initial(), Optional.empty(), Optional.empty(), List.of(), List.of());
  }

  private void compareWithOrder(SupplyRequest order, InitialBlock initial, List<String> findings) {
    String orderNo = order.getIdentifierFirstRep().getValue();
    if (order.hasQuantity() && order.getQuantity().hasValue()
        && order.getQuantity().getValue().intValue() != initial.seedCount()) {
      findings.add("order " + orderNo + " asked for " + order.getQuantity().getValue().intValue() + " seeds, the chip holds "
          + initial.seedCount());
    }
    Extension requested = order.getExtensionByUrl(CustodyCodes.EXT_REQUESTED_ACTIVITY);
    if (requested != null && requested.getValue() instanceof Quantity q && q.hasValue()) {
      double asked = q.getValue().doubleValue();
      double shipped = initial.totalActivityMbq();
      if (Math.abs(shipped - asked) > activityTolerance * asked) {
        findings.add(String.format("order %s asked for %.1f MBq, the chip states %.1f MBq (tolerance %.0f %%)", orderNo,
            asked, shipped, activityTolerance * 100));
      }
    }
    if (order.getStatus() != SupplyRequest.SupplyRequestStatus.ACTIVE
        && order.getStatus() != SupplyRequest.SupplyRequestStatus.COMPLETED) {
      findings.add("order " + orderNo + " is " + order.getStatus().toCode() + ", not active");
    }
  }

  private Optional<SupplyDelivery> shipmentOf(String serial) {
    SearchParameterMap byItem = new SearchParameterMap().add("item-identifier",
        new TokenParam(CustodyCodes.SID_SERIAL, serial));
    return store.<SupplyDelivery>search(SupplyDelivery.class, byItem).stream()
        .filter(s -> s.getSuppliedItem().hasItemReference() && s.getSuppliedItem().getItemReference().hasIdentifier()
            && serial.equals(s.getSuppliedItem().getItemReference().getIdentifier().getValue())
            && CustodyCodes.SID_SERIAL.equals(s.getSuppliedItem().getItemReference().getIdentifier().getSystem()))
        .findFirst();
  }

  static Device cartridge(InitialBlock b, String sha, Organization maker, Optional<SupplyRequest> order) {
    Device d = new Device();
    d.getMeta().addProfile(CustodyCodes.PROFILE_CARTRIDGE);
    d.addExtension(CustodyCodes.EXT_CALIBRATION, new DateTimeType(Date.from(b.calibrationTime())));
    d.addExtension(CustodyCodes.EXT_SEED_ACTIVITY, CustodyCodes.mbq(b.seedActivityKbq() / 1000.0));
    d.addExtension(CustodyCodes.EXT_PAYLOAD_HASH, new StringType(sha));
    d.addIdentifier().setSystem(CustodyCodes.SID_SERIAL).setValue(b.cartridgeSerial());
    b.udi().ifPresent(udi -> d.addUdiCarrier().setCarrierHRF(udi));
    d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    d.setManufacturer(b.manufacturer());
    d.setLotNumber(b.lot());
    d.setSerialNumber(b.cartridgeSerial());
    d.setExpirationDate(java.sql.Date.valueOf(b.expiry()));
    d.setModelNumber(b.model());
    d.addDeviceName().setName(b.productName()).setType(Device.DeviceNameType.MANUFACTURERNAME);
    d.setType(CustodyCodes.concept("seed-cartridge"));
    d.addProperty().setType(CustodyCodes.concept("seed-count")).addValueQuantity(CustodyCodes.seeds(b.seedCount()));
    d.addProperty().setType(CustodyCodes.concept("total-activity")).addValueQuantity(CustodyCodes.mbq(b.totalActivityMbq()));
    order.ifPresent(o -> {
      if (o.hasRequester()) {
        d.setOwner(o.getRequester().copy());
      }
      if (o.hasDeliverTo()) {
        d.setLocation(o.getDeliverTo().copy());
      }
    });
    return d;
  }

  static Observation count(String kind, int value, String deviceRef) {
    Observation o = new Observation();
    o.getMeta().addProfile(CustodyCodes.PROFILE_COUNT);
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(CustodyCodes.concept(kind));
    o.setEffective(new DateTimeType(new Date()));
    o.setDevice(new Reference(deviceRef));
    o.setValue(CustodyCodes.seeds(value));
    return o;
  }

  static UnprocessableEntityException refusal(String code, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics(message).getDetails().setText(code);
    return new UnprocessableEntityException(message, outcome);
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
