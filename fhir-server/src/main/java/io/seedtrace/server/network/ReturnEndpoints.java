package io.seedtrace.server.network;

import io.seedtrace.server.security.Role;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sealed cartridge's way back (docs/network.md), each answered 202 with the queued message id:
 * <ul>
 *   <li>{@code POST /network/returns?device=Device/<id>} (hospital node; nurse, logistics or admin
 *       token): the sealed cartridge goes back to the manufacturer it came from;</li>
 *   <li>{@code POST /network/return-receipts?serial=<serial>[&counted=<n>]} (manufacturer node;
 *       manufacturer or admin token; body: the chip payload read off the returned cartridge, as
 *       {@code application/octet-stream}): the return is confirmed to the authority.</li>
 * </ul>
 */
@RestController
public class ReturnEndpoints {

  private final NodeProperties node;
  private final CartridgeReturns returns;

  public ReturnEndpoints(NodeProperties node, CartridgeReturns returns) {
    this.node = node;
    this.returns = returns;
  }

  @PostMapping(path = "/network/returns")
  public ResponseEntity<String> ship(@RequestParam("device") String device, Authentication caller) {
    if (node.role() != NodeRole.HOSPITAL || !NetworkEndpoints.has(caller, Role.NURSE, Role.LOGISTICS, Role.ADMIN)) {
      return NetworkEndpoints.fhir(403, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 403,
          "returning a cartridge needs a hospital node and the nurse, logistics or admin role"));
    }
    try {
      String deviceId = device.startsWith("Device/") ? device : "Device/" + device;
      return queued("return shipment", returns.ship(deviceId, caller.getName()));
    } catch (IllegalArgumentException | ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException bad) {
      return NetworkEndpoints.fhir(400, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 400, bad.getMessage()));
    }
  }

  @PostMapping(path = "/network/return-receipts", consumes = "application/octet-stream")
  public ResponseEntity<String> confirm(@RequestParam("serial") String serial,
      @RequestParam(name = "counted", required = false) Integer counted, @RequestBody byte[] chip,
      Authentication caller) {
    if (node.role() != NodeRole.MANUFACTURER || !NetworkEndpoints.has(caller, Role.MANUFACTURER, Role.ADMIN)) {
      return NetworkEndpoints.fhir(403, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 403,
          "confirming a return needs a manufacturer node and the manufacturer or admin role"));
    }
    if (chip.length == 0 || chip.length > io.seedtrace.core.chip.ChipPayloadCodec.CHIP_CAPACITY) {
      return NetworkEndpoints.fhir(400, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 400,
          "the body must be the chip payload (1.." + io.seedtrace.core.chip.ChipPayloadCodec.CHIP_CAPACITY + " bytes)"));
    }
    if (counted != null && (counted < 0 || counted > CountSummary.MAX_COUNT)) {
      return NetworkEndpoints.fhir(400, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 400,
          "counted must lie in 0.." + CountSummary.MAX_COUNT));
    }
    try {
      return queued("return receipt", returns.confirm(serial, chip, Optional.ofNullable(counted), caller.getName()));
    } catch (IllegalArgumentException bad) {
      return NetworkEndpoints.fhir(400, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, 400, bad.getMessage()));
    }
  }

  private static ResponseEntity<String> queued(String what, String messageId) {
    return NetworkEndpoints.fhir(202, NetworkInbox.outcome(OperationOutcome.IssueSeverity.INFORMATION, 200,
        what + " queued as message " + messageId));
  }
}
