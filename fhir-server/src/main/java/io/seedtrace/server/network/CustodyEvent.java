package io.seedtrace.server.network;

import io.seedtrace.server.custody.CustodyCodes;
import java.util.Arrays;
import java.util.Optional;

/**
 * The custody steps that cross organisations, as MessageHeader.eventCoding codes of the SeedTrace
 * CodeSystem, with the role of the node they go to.
 */
public enum CustodyEvent {
  ORDER("custody-order"),
  SHIPMENT("custody-shipment"),
  SHIPMENT_REPORT("custody-shipment-report"),
  IMPLANT_SUMMARY("custody-implant-summary"),
  RETURN_SHIPMENT("custody-return-shipment"),
  RETURN_RECEIPT("custody-return-receipt"),
  /** The authority's alert about a cartridge, to the hospital and the manufacturer concerned. */
  DISCREPANCY("custody-discrepancy");

  public static final String SYSTEM = CustodyCodes.CS;

  private final String code;
  CustodyEvent(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** Whether this event may be addressed to a node of {@code role}. */
  public boolean goesTo(NodeRole role) {
    return switch (this) {
      case ORDER, RETURN_SHIPMENT -> role == NodeRole.MANUFACTURER;
      case SHIPMENT -> role == NodeRole.HOSPITAL;
      case IMPLANT_SUMMARY, RETURN_RECEIPT, SHIPMENT_REPORT -> role == NodeRole.AUTHORITY;
      case DISCREPANCY -> role == NodeRole.HOSPITAL || role == NodeRole.MANUFACTURER;
    };
  }

  /** The roles this event goes to, for messages: e.g. {@code manufacturer}, or {@code hospital or manufacturer}. */
  public String receivers() {
    return String.join(" or ", Arrays.stream(NodeRole.values()).filter(this::goesTo).map(NodeRole::configName)
        .toList());
  }

  /** The role of the node that sends this event (in methods, not fields: the two enums refer to each other). */
  public NodeRole sender() {
    return switch (this) {
      case ORDER, IMPLANT_SUMMARY, RETURN_SHIPMENT -> NodeRole.HOSPITAL;
      case SHIPMENT, SHIPMENT_REPORT, RETURN_RECEIPT -> NodeRole.MANUFACTURER;
      case DISCREPANCY -> NodeRole.AUTHORITY;
    };
  }

  public static Optional<CustodyEvent> fromCode(String system, String code) {
    return SYSTEM.equals(system) ? Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst()
        : Optional.empty();
  }
}
