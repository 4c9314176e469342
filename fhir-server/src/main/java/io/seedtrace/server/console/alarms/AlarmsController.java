package io.seedtrace.server.console.alarms;

import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.console.ConsoleProperties;
import io.seedtrace.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The alarm inbox, the acknowledgement of an alarm and its escalation to the administrator. */
@Controller
public class AlarmsController {

  private final AlarmInbox inbox;
  private final ConsoleProperties properties;

  public AlarmsController(AlarmInbox inbox, ConsoleProperties properties) {
    this.inbox = inbox;
    this.properties = properties;
  }

  @GetMapping("/console/alarms")
  public String inbox(@RequestParam(defaultValue = "open") String show,
      @RequestParam(required = false) String severity, @RequestParam(defaultValue = "0") int offset, Model model) {
    ConsoleAccess.read("DetectedIssue", "Flag");
    if (offset < 0 || !(show.equals("open") || show.equals("acknowledged"))) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "show must be open or acknowledged, offset 0 or more.");
    }
    String wanted = severity == null || severity.isBlank() ? null : severity.strip();
    if (wanted != null && !AlarmInbox.SEVERITIES.contains(wanted)) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "Unknown severity '" + wanted + "': one of " + String.join(", ", AlarmInbox.SEVERITIES) + ".");
    }
    model.addAttribute("page", inbox.page(show.equals("open"), wanted, offset, properties.pageSize()));
    model.addAttribute("show", show);
    model.addAttribute("severity", wanted == null ? "" : wanted);
    model.addAttribute("severities", AlarmInbox.SEVERITIES);
    model.addAttribute("offset", offset);
    model.addAttribute("mayAcknowledge", ConsoleAccess.has(Role.PHYSICIAN));
    model.addAttribute("mayEscalate", ConsoleAccess.has(ESCALATORS));
    model.addAttribute("maxComment", AlarmInbox.MAX_COMMENT);
    return "console/alarms";
  }

  @PostMapping("/console/alarms/{id}/acknowledge")
  public String acknowledge(@PathVariable String id, @RequestParam(required = false) String comment,
      HttpServletRequest request) {
    ConsoleAccess.act("acknowledge an alarm", Role.PHYSICIAN);
    inbox.acknowledge(id, comment, ConsoleAccess.person(), Role.PHYSICIAN.claimValue(), request.getRemoteAddr());
    return "redirect:/console/alarms?acknowledged=" + id;
  }

  /** Escalating changes the alarm: the roles that may write DetectedIssue through the FHIR API. */
  public static final Role[] ESCALATORS = {Role.PHYSICIAN, Role.PHYSICIST, Role.ADMIN};

  @PostMapping("/console/alarms/{id}/escalate")
  public String escalate(@PathVariable String id, @RequestParam(required = false) String comment,
      HttpServletRequest request) {
    ConsoleAccess.act("escalate an alarm", ESCALATORS);
    Role role = java.util.Arrays.stream(ESCALATORS).filter(ConsoleAccess::has).findFirst().orElseThrow();
    inbox.escalate(id, comment, ConsoleAccess.person(), role.claimValue(), request.getRemoteAddr());
    return "redirect:/console/alarms?escalated=" + id;
  }
}
