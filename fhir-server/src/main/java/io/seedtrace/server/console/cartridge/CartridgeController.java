package io.seedtrace.server.console.cartridge;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.console.ConsoleProperties;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.custody.Sealing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Provenance;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The cartridge page: its custody from order to seal, its activity now and the storage model's
 * decision; and the trace with the key, which adds who did each step and the sealing record
 * exactly as the FHIR operation {@code $trace} answers it (same key check, same failure counting
 * and malicious-node check, same audit entry).
 */
@Controller
public class CartridgeController {

  /** What the page shows, read rights needed on all (as the FHIR API checks them). */
  public static final String[] SHOWN = {"Device", "SupplyRequest", "SupplyDelivery", "Procedure", "Observation",
      "DiagnosticReport", "DetectedIssue", "Task"};

  private final FhirStore store;
  private final Sealing sealing;
  private final CartridgeList list;
  private final ConsoleProperties properties;

  public CartridgeController(FhirStore store, Sealing sealing, CartridgeList list, ConsoleProperties properties) {
    this.store = store;
    this.sealing = sealing;
    this.list = list;
    this.properties = properties;
  }

  /** The cartridges, a page at a time, by serial number, status and custody stage; the same rights as one cartridge's page. */
  @GetMapping("/console/cartridges")
  public String cartridges(@RequestParam(required = false) String serial, @RequestParam(required = false) String status,
      @RequestParam(required = false) String stage, @RequestParam(defaultValue = "0") int offset, Model model) {
    ConsoleAccess.read(SHOWN);
    String wantedSerial = serial == null || serial.isBlank() ? null : serial.strip();
    if (offset < 0 || (wantedSerial != null && wantedSerial.length() > 64)) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "The offset must be 0 or more and the serial number at most 64 characters.");
    }
    String wantedStatus = status == null || status.isBlank() ? null : CartridgeList.status(status)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
            "Unknown status '" + status + "': one of " + String.join(", ", CartridgeList.STATUSES) + "."));
    String wantedStage = stage == null || stage.isBlank() ? null : CartridgeList.stage(stage)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
            "Unknown custody stage '" + stage + "': one of " + String.join(", ", CartridgeList.STAGES) + "."));
    model.addAttribute("page", list.page(wantedSerial, wantedStatus, wantedStage, offset, properties.pageSize()));
    model.addAttribute("serial", wantedSerial == null ? "" : wantedSerial);
    model.addAttribute("status", wantedStatus == null ? "" : wantedStatus);
    model.addAttribute("statuses", CartridgeList.STATUSES);
    model.addAttribute("stage", wantedStage == null ? "" : wantedStage);
    model.addAttribute("stages", CartridgeList.STAGES);
    model.addAttribute("offset", offset);
    return "console/cartridges";
  }

  @GetMapping("/console/cartridges/{id}")
  public String cartridge(@PathVariable String id, Model model) {
    ConsoleAccess.read(SHOWN);
    Bundle chain = sealing.chainOf(cartridgeId(id)); // what $trace collects, by indexed searches
    if (!ConsoleAccess.mayRead("Provenance")) {
      chain.getEntry().removeIf(e -> e.getResource() instanceof Provenance);
    }
    return page(CustodyTimeline.of(chain, Instant.now()), model);
  }

  @PostMapping("/console/cartridges/{id}/trace")
  public String trace(@PathVariable String id, @RequestParam(name = "traceKey", defaultValue = "") String traceKey,
      HttpServletRequest request, HttpServletResponse response, Model model) {
    ConsoleAccess.read(SHOWN);
    ConsoleAccess.invoke("trace", "trace a cartridge with its key");
    String key = traceKey.strip();
    if (key.isEmpty() || key.length() > 100) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Type the cartridge's trace key (it was given at sealing).");
    }
    Bundle chain;
    try {
      chain = sealing.trace(cartridgeId(id), key, Optional.empty(), Caller.of(request));
    } catch (BaseServerResponseException refused) {
      throw new ResponseStatusException(HttpStatus.valueOf(refused.getStatusCode()),
          "The trace was refused: " + refused.getMessage());
    }
    response.setHeader("Cache-Control", "no-store");
    return page(CustodyTimeline.of(chain, Instant.now()), model);
  }

  private String page(CartridgeView view, Model model) {
    model.addAttribute("cartridge", view);
    model.addAttribute("mayTrace", ConsoleAccess.mayInvoke("trace"));
    return "console/cartridge";
  }

  /** The id of an existing cartridge. @throws ResponseStatusException 404 for anything else */
  private String cartridgeId(String id) {
    Optional<Device> device = id.matches("[A-Za-z0-9.-]{1,64}") ? store.readOptional(Device.class, id) : Optional.empty();
    if (device.isEmpty() || !Cartridges.isCartridge(device.get())) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No cartridge " + id + ".");
    }
    return "Device/" + device.get().getIdElement().getIdPart();
  }
}
