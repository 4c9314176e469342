package io.seedtrace.server.console.report;

import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/** The verification report page and its sign-off. */
@Controller
public class ReportController {

  private final ReportViews views;
  private final SignOff signOff;

  public ReportController(ReportViews views, SignOff signOff) {
    this.views = views;
    this.signOff = signOff;
  }

  @GetMapping("/console/reports/{id}")
  public String report(@PathVariable String id, Model model) {
    ConsoleAccess.read("DiagnosticReport", "Observation", "DetectedIssue");
    ReportView view = views.load(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No verification report " + id + "."));
    model.addAttribute("report", view);
    model.addAttribute("balance", CountBalanceSvg.draw(view.counts()));
    model.addAttribute("verdict", CountBalanceSvg.verdict(view.counts()));
    model.addAttribute("maySignOff", ConsoleAccess.has(Role.PHYSICIST) && view.signedOffBy() == null
        && !"entered-in-error".equals(view.status()));
    return "console/report";
  }

  @PostMapping("/console/reports/{id}/sign-off")
  public String signOff(@PathVariable String id, HttpServletRequest request) {
    ConsoleAccess.act("sign off a verification report", Role.PHYSICIST);
    signOff.signOff(id, ConsoleAccess.person(), Role.PHYSICIST.claimValue(), request.getRemoteAddr());
    return "redirect:/console/reports/" + id + "?signed";
  }
}
