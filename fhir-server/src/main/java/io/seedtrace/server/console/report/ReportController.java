package io.seedtrace.server.console.report;

import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.security.Role;
import io.seedtrace.server.verification.ReportPrinter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/** The verification report page and its sign-off. */
@Controller
public class ReportController {

  private final ReportViews views;
  private final SignOff signOff;
  private final CtProjections projections;

  public ReportController(ReportViews views, SignOff signOff, CtProjections projections) {
    this.views = views;
    this.signOff = signOff;
    this.projections = projections;
  }

  @GetMapping("/console/reports/{id}")
  public String report(@PathVariable String id, Model model) {
    ConsoleAccess.read("DiagnosticReport", "Observation", "DetectedIssue");
    ReportView view = load(id);
    model.addAttribute("report", view);
    if (view.figures() != null) {
      model.addAttribute("ct", projections.availability(view.figures()).name());
      model.addAttribute("planes", CtProjections.planes());
      model.addAttribute("displacements", DisplacementTable.rows(view.figures()));
    }
    model.addAttribute("printed", views.printed(id).isPresent());
    List<ReportPrinter.Picture> pictures = views.pictures(view.verificationId());
    model.addAttribute("dvh", pictures.stream().filter(p -> p.name().equals("dvh")).findFirst().orElse(null));
    model.addAttribute("isodoses", pictures.stream().filter(p -> p.name().startsWith("isodose-")).toList());
    model.addAttribute("balance", CountBalanceSvg.draw(view.counts()));
    model.addAttribute("verdict", CountBalanceSvg.verdict(view.counts()));
    model.addAttribute("maySignOff", ConsoleAccess.has(Role.PHYSICIST) && view.signedOffBy() == null
        && !"entered-in-error".equals(view.status()));
    return "console/report";
  }

  /** One projection of the report's CT with the seeds drawn on it, as PNG. */
  @GetMapping("/console/reports/{id}/projections/{plane}.png")
  @ResponseBody
  public ResponseEntity<byte[]> projection(@PathVariable String id, @PathVariable String plane) {
    ConsoleAccess.read("DiagnosticReport", "Observation", "DetectedIssue");
    SeedProjections.Plane which = CtProjections.planes().stream().filter(p -> p.path().equals(plane)).findFirst()
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
            "No plane '" + plane + "': axial, coronal or sagittal."));
    ReportView view = load(id);
    if (view.figures() == null) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "This verification kept no seed figures to draw.");
    }
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.noStore())
        .body(projections.png(view.verificationId(), view.figures(), which));
  }

  /** A dose picture kept when the report was printed (the DVH, an isodose slice), as PNG. */
  @GetMapping("/console/reports/{id}/pictures/{name}.png")
  @ResponseBody
  public ResponseEntity<byte[]> picture(@PathVariable String id, @PathVariable String name) {
    ConsoleAccess.read("DiagnosticReport", "Observation", "DetectedIssue");
    ReportView view = load(id);
    byte[] png = views.picture(view.verificationId(), name).orElseThrow(() -> new ResponseStatusException(
        HttpStatus.NOT_FOUND, "Verification report " + id + " has no picture '" + name + "'."));
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.noStore()).body(png);
  }

  /** The report as printed for the EHR when it was made (PDF), for download. */
  @GetMapping("/console/reports/{id}/report.pdf")
  @ResponseBody
  public ResponseEntity<byte[]> printed(@PathVariable String id) {
    ConsoleAccess.read("DiagnosticReport", "Observation", "DetectedIssue");
    byte[] pdf = views.printed(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "Verification report " + id + " has no printed form."));
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF).cacheControl(CacheControl.noStore())
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
            .filename("verification-report-" + id + ".pdf").build().toString())
        .body(pdf);
  }

  private ReportView load(String id) {
    return views.load(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No verification report " + id + "."));
  }

  @PostMapping("/console/reports/{id}/sign-off")
  public String signOff(@PathVariable String id, HttpServletRequest request) {
    ConsoleAccess.act("sign off a verification report", Role.PHYSICIST);
    signOff.signOff(id, ConsoleAccess.person(), Role.PHYSICIST.claimValue(), request.getRemoteAddr());
    return "redirect:/console/reports/" + id + "?signed";
  }
}
