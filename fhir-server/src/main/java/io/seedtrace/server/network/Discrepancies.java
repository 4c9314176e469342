package io.seedtrace.server.network;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authority's reconciliation rules over one cartridge's ledger row: each rule that fails gives
 * an alert kind and a sentence that states the numbers. A rule whose counts are not all known yet
 * does not fail (the overdue receipt is the rule for a count that never comes).
 */
public final class Discrepancies {

  /** Shipped by the manufacturer, but the hospital read another count from the chip. */
  public static final String SHIPPED_RECEIVED = "shipped-received-mismatch";
  /** L0 != L1 + L2 + L3 at the hospital: a seed is unaccounted for (or one too many was seen). */
  public static final String COUNT = "count-mismatch";
  /** The manufacturer found another number of seeds in the returned cartridge than the hospital sealed. */
  public static final String RETURN = "return-mismatch";
  /** Shipped, and no receipt from the hospital within the deadline. */
  public static final String OVERDUE = "shipment-not-received";
  /** Sealed at the hospital, and not back at the manufacturer within the deadline. */
  public static final String NOT_RETURNED = "cartridge-not-returned";
  /** Shipped to a hospital without a valid licence, or more seeds than its licence allows per order. */
  public static final String LICENCE = "licence-exceeded";
  /** A custody message came from a node this authority does not know. */
  public static final String UNKNOWN_NODE = "unknown-node";

  private Discrepancies() {}

  /** Why a shipment breaks the hospital's licence, when licences are registered here and it does. */
  private static java.util.Optional<String> licence(SourceLedger.Cartridge c,
      Map<String, AuthorityProperties.Licence> licences) {
    if (licences.isEmpty() || c.hospitalId() == null || c.shippedAt() == null) {
      return java.util.Optional.empty();
    }
    AuthorityProperties.Licence l = licences.get(c.hospitalId());
    String shipment = "Cartridge " + c.serial() + " (order " + c.orderNumber() + ") shipped by " + c.manufacturerId()
        + " to " + c.hospitalId();
    java.time.LocalDate shipped = c.shippedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    if (l == null) {
      return java.util.Optional.of(shipment + ": the hospital holds no licence registered with this authority.");
    }
    if (shipped.isAfter(l.validUntil())) {
      return java.util.Optional.of(shipment + " on " + shipped + ": licence " + l.number() + " expired on "
          + l.validUntil() + ".");
    }
    if (l.maxSeedsPerOrder() != null && c.shipped() != null && c.shipped() > l.maxSeedsPerOrder()) {
      return java.util.Optional.of(shipment + ": " + c.shipped() + " seeds exceed the " + l.maxSeedsPerOrder()
          + " per order of licence " + l.number() + ".");
    }
    return java.util.Optional.empty();
  }

  /** The failed rules of {@code c} at {@code now}, kind to sentence, in a stable order. */
  public static Map<String, String> of(SourceLedger.Cartridge c, Instant now, AuthorityProperties deadlines) {
    Duration receiptDeadline = deadlines.receiptDeadline();
    Map<String, String> found = new LinkedHashMap<>();
    if (c.shipped() != null && c.received() != null && !c.shipped().equals(c.received())) {
      found.put(SHIPPED_RECEIVED, "Cartridge " + c.serial() + ": " + c.manufacturerId() + " shipped " + c.shipped()
          + " seeds, " + c.hospitalId() + " received " + c.received() + ".");
    }
    if (c.received() != null && c.imaged() != null && c.remaining() != null && c.removed() != null) {
      int accounted = c.imaged() + c.remaining() + c.removed();
      if (accounted != c.received()) {
        found.put(COUNT, "Cartridge " + c.serial() + " at " + c.hospitalId() + ": L0 = " + c.received() + ", L1 = "
            + c.imaged() + ", L2 = " + c.remaining() + ", L3 = " + c.removed() + "; " + Math.abs(c.received() - accounted)
            + " seed(s) " + (accounted < c.received() ? "unaccounted for" : "more seen than received") + ".");
      }
    }
    if (c.returned() != null && c.remaining() != null && !c.returned().equals(c.remaining())) {
      found.put(RETURN, "Cartridge " + c.serial() + ": sealed by " + c.hospitalId() + " with L2 = " + c.remaining()
          + " seeds, " + c.manufacturerId() + " found " + c.returned() + " on its return.");
    }
    if (c.shippedAt() != null && c.received() == null && c.shippedAt().plus(receiptDeadline).isBefore(now)) {
      found.put(OVERDUE, "Cartridge " + c.serial() + " shipped by " + c.manufacturerId() + " to " + c.hospitalId()
          + " at " + c.shippedAt() + " has not been reported received within " + receiptDeadline.toHours() + " h.");
    }
    if (c.sealedAt() != null && c.returned() == null && c.sealedAt().plus(deadlines.returnDeadline()).isBefore(now)) {
      found.put(NOT_RETURNED, "Cartridge " + c.serial() + " sealed by " + c.hospitalId() + " at " + c.sealedAt()
          + " is not back at " + c.manufacturerId() + " within " + deadlines.returnDeadline().toDays() + " days.");
    }
    licence(c, deadlines.licences()).ifPresent(why -> found.put(LICENCE, why));
    return found;
  }
}
