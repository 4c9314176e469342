package io.seedtrace.server.console;

import io.seedtrace.server.console.alarms.AlarmsController;
import io.seedtrace.server.console.cartridge.CartridgeController;
import io.seedtrace.server.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's start page (what the signed-in person may open), the pages around signing in and
 * out, the header every page shows, and the error page of a refused or failed request.
 */
@Controller
@ControllerAdvice(basePackageClasses = ConsolePages.class)
public class ConsolePages {

  /** Who is signed in, on every console page. */
  @ModelAttribute
  public void header(Model model) {
    model.addAttribute("person", ConsoleAccess.person());
    model.addAttribute("roles", ConsoleAccess.roleNames());
  }

  @GetMapping("/")
  public String start(Model model) {
    model.addAttribute("mayImplants", ConsoleAccess.mayRead("Procedure", "DiagnosticReport", "Observation"));
    model.addAttribute("mayCartridges", ConsoleAccess.mayRead(CartridgeController.SHOWN));
    model.addAttribute("mayAlarms", ConsoleAccess.mayRead("DetectedIssue", "Flag"));
    model.addAttribute("maySignOff", ConsoleAccess.has(Role.PHYSICIST));
    model.addAttribute("mayOperations", ConsoleAccess.has(Role.ADMIN));
    model.addAttribute("mayAcknowledge", ConsoleAccess.has(Role.PHYSICIAN));
    model.addAttribute("mayEscalate", ConsoleAccess.has(AlarmsController.ESCALATORS));
    return "console/start";
  }

  @GetMapping("/console/signed-out")
  public String signedOut() {
    return "console/signed-out";
  }

  @GetMapping("/console/sign-in-failed")
  public String signInFailed(HttpServletResponse response, Model model) {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    model.addAttribute("status", 401);
    model.addAttribute("message", "Signing in did not succeed. Close this page and sign in again.");
    return "console/problem";
  }

  /** A refused or failed console request: the status and the reason in words, never a stack trace. */
  @ExceptionHandler(ResponseStatusException.class)
  public String problem(ResponseStatusException e, HttpServletResponse response, Model model) {
    response.setStatus(e.getStatusCode().value());
    header(model);
    model.addAttribute("status", e.getStatusCode().value());
    model.addAttribute("message", e.getReason());
    return "console/problem";
  }
}
