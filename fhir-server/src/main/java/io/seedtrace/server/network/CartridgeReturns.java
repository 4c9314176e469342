package io.seedtrace.server.network;

import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.ChipPayloadException;
import io.seedtrace.core.chip.CoseSign1;
import io.seedtrace.core.chip.SealingBlock;
import io.seedtrace.server.custody.CustodyTables;
import io.seedtrace.server.custody.ManufacturerKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * The sealed cartridge's way back, which closes the loop. The hospital sends a
 * {@code custody-return-shipment} to the manufacturer it came from: the counts it holds, the sealed
 * chip as written at sealing, and the hospital's chip key (so the manufacturer can check the
 * sealing block's signature). The manufacturer reads the returned chip, checks it against that key
 * and its own, and sends a {@code custody-return-receipt} with the remaining count to the authority
 * (its own physical count instead, when it gives one).
 */
public final class CartridgeReturns {

  private final CustodySender sender;
  private final NetworkInbox inbox;
  private final CountReports counts;
  private final CustodyTables tables;
  private final HospitalChipKey hospitalKey;
  private final ManufacturerKeys manufacturerKeys;
  private final Clock clock;

  /** The hospital's chip-signing key id and public key, which sign the sealing block. */
  public record HospitalChipKey(String kid, PublicKey key) {}

  public CartridgeReturns(CustodySender sender, NetworkInbox inbox, CountReports counts, CustodyTables tables,
      HospitalChipKey hospitalKey, ManufacturerKeys manufacturerKeys, Clock clock) {
    this.sender = sender;
    this.inbox = inbox;
    this.counts = counts;
    this.tables = tables;
    this.hospitalKey = hospitalKey;
    this.manufacturerKeys = manufacturerKeys;
    this.clock = clock;
  }

  /**
   * Hospital: announces the return of a sealed cartridge; returns the message id.
   *
   * @throws IllegalArgumentException when the cartridge was not read or not sealed here, or no
   *     manufacturer peer takes it
   */
  public String ship(String deviceId, String actor) {
    CustodyTables.ChipRow chip = tables.chipOfDevice(deviceId).orElseThrow(() -> new IllegalArgumentException(
        "no chip was read for " + deviceId));
    if (tables.sealingRecord(deviceId).isEmpty()) {
      throw new IllegalArgumentException(deviceId + " is not sealed: seal it before it goes back");
    }
    CountSummary summary = counts.summaryOf(deviceId, false);
    Parameters focus = summary.toParameters();
    focus.addParameter().setName("sealedChip").setValue(new Base64BinaryType(chip.payload()));
    focus.addParameter().setName("hospitalKeyId").setValue(new StringType(hospitalKey.kid()));
    focus.addParameter().setName("hospitalPublicKey").setValue(new Base64BinaryType(hospitalKey.key().getEncoded()));
    String manufacturer = sender.peerFor(CustodyEvent.RETURN_SHIPMENT, inbox.senderOf(CustodyEvent.SHIPMENT,
        summary.serial())).orElseThrow(() -> new IllegalArgumentException("no manufacturer node to return "
            + summary.serial() + " to"));
    return sender.send(CustodyEvent.RETURN_SHIPMENT, manufacturer, summary.serial(), List.of(focus), actor);
  }

  /**
   * Manufacturer: confirms a returned cartridge from the chip read off it; returns the message id
   * of the receipt sent to the authority.
   *
   * @param counted the seeds counted in the returned cartridge, if counted; else the chip's count
   * @throws IllegalArgumentException when no return of {@code serial} was announced, the chip does
   *     not verify or is not that cartridge's sealed chip, or there is no authority peer
   */
  public String confirm(String serial, byte[] chip, Optional<Integer> counted, String actor) {
    Parameters announced = inbox.focusOf(CustodyEvent.RETURN_SHIPMENT, serial).flatMap(f -> f.stream()
        .filter(Parameters.class::isInstance).map(Parameters.class::cast).findFirst())
        .orElseThrow(() -> new IllegalArgumentException("no return of cartridge " + serial + " was announced"));
    String hospital = inbox.senderOf(CustodyEvent.RETURN_SHIPMENT, serial).orElseThrow();
    SealingBlock sealing = sealingBlock(serial, chip, manufacturerKeys, announcedKey(announced));
    String authority = sender.peerFor(CustodyEvent.RETURN_RECEIPT, Optional.empty()).orElseThrow(
        () -> new IllegalArgumentException("this node has no authority peer to report the return to"));
    CountSummary receipt = new CountSummary(serial, null, hospital, null, null, null, null, sealing.remainingCount(),
        counted.orElse(sealing.remainingCount()), null, clock.instant());
    Parameters focus = receipt.toParameters();
    focus.addParameter().setName("remainingActivityKbq").setValue(new org.hl7.fhir.r4.model.DecimalType(
        sealing.remainingActivityKbq()));
    focus.addParameter().setName("activityAt").setValue(new org.hl7.fhir.r4.model.DateTimeType(
        java.util.Date.from(sealing.surgeryTime())));
    return sender.send(CustodyEvent.RETURN_RECEIPT, authority, "report:" + serial, List.of(focus), actor);
  }

  private static SealingBlock sealingBlock(String serial, byte[] chip, ManufacturerKeys own,
      CoseSign1.KeyResolver hospital) {
    try {
      ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(chip, own, hospital);
      if (!serial.equals(decoded.initial().cartridgeSerial())) {
        throw new IllegalArgumentException("the chip is cartridge " + decoded.initial().cartridgeSerial() + ", not "
            + serial);
      }
      return decoded.sealing().orElseThrow(() -> new IllegalArgumentException("the chip of " + serial
          + " carries no sealing block"));
    } catch (ChipPayloadException e) {
      throw new IllegalArgumentException("the returned chip does not verify: " + e.getMessage());
    }
  }

  private static CoseSign1.KeyResolver announcedKey(Parameters announced) {
    try {
      byte[] kid = announced.getParameter("hospitalKeyId").getValue().primitiveValue().getBytes(StandardCharsets.UTF_8);
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
          ((Base64BinaryType) announced.getParameter("hospitalPublicKey").getValue()).getValue()));
      return k -> Arrays.equals(k, kid) ? Optional.of(key) : Optional.empty();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the return shipment carries no readable hospital chip key");
    }
  }
}
