package io.seedtrace.server.console.implants;

import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.console.ConsoleProperties;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The list of implants and verifications, filtered and paged. */
@Controller
public class ImplantsController {

  private final ImplantList implants;
  private final ConsoleProperties properties;

  public ImplantsController(ImplantList implants, ConsoleProperties properties) {
    this.implants = implants;
    this.properties = properties;
  }

  @GetMapping("/console/implants")
  public String list(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
      @RequestParam(required = false) String patient, @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "0") int offset, Model model) {
    ConsoleAccess.read("Procedure", "DiagnosticReport", "Observation", "DetectedIssue");
    if (offset < 0 || (patient != null && patient.length() > 64)) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The offset must be 0 or more and the patient at most 64 characters.");
    }
    VerificationStatus wanted = status == null || status.isBlank() ? null : VerificationStatus.ofKey(status)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown status '" + status + "'."));
    ImplantList.Query query = new ImplantList.Query(date(from, "from"), date(to, "to"), patient, wanted, offset,
        properties.pageSize());
    model.addAttribute("page", implants.page(query));
    model.addAttribute("query", query);
    model.addAttribute("statuses", VerificationStatus.values());
    return "console/implants";
  }

  private static LocalDate date(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The date '" + name + "' must be YYYY-MM-DD.");
    }
  }
}
