package io.seedtrace.server.console.operations;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.routes.pull.JdbcPullLedger;
import io.seedtrace.server.console.ConsoleAccess;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyTables;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.security.Role;
import io.seedtrace.server.verification.VerificationProperties;
import io.seedtrace.server.verification.VerificationTables;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * The administrator's operations page: the DICOM node, its peers and their recent associations, the CT
 * pulled from the PACS for overdue implants, the series received and how they ended, the EHR outbox
 * with its dead letters and their replay, the malicious node library,
 * and the audit chain check. It reads and acts through the same services as the FHIR operations
 * ({@code $verifications}, {@code $ehr-outbox}, {@code $malicious-nodes}, {@code $verify-audit-chain});
 * admin only.
 */
@Controller
public class OperationsController {

  /** The most rows of each list the page shows, newest series first and oldest undelivered messages first. */
  static final int ROWS = 100;

  private final DicomNodeService dicom;
  private final VerificationProperties verification;
  private final VerificationTables verifications;
  private final EhrOutbox outbox;
  private final CustodyTables custody;
  private final AuditTrail audit;
  private final ObjectProvider<JdbcPullLedger> pulls;

  public OperationsController(DicomNodeService dicom, VerificationProperties verification,
      VerificationTables verifications, EhrOutbox outbox, CustodyTables custody, AuditTrail audit,
      ObjectProvider<JdbcPullLedger> pulls) {
    this.pulls = pulls;
    this.dicom = dicom;
    this.verification = verification;
    this.verifications = verifications;
    this.outbox = outbox;
    this.custody = custody;
    this.audit = audit;
  }

  @GetMapping("/console/operations")
  public String operations(Model model) {
    ConsoleAccess.act("open the operations page", Role.ADMIN);
    NodeConfig node = dicom.config();
    model.addAttribute("node", node);
    model.addAttribute("pendingSeries", dicom.pendingSeries());
    model.addAttribute("associations", dicom.recentAssociations());
    model.addAttribute("pacs", verification.pacsHost().isBlank() ? null
        : verification.pacsAeTitle() + " at " + verification.pacsHost() + ":" + verification.pacsPort()
            + (verification.sendToPacs() ? "" : " (sending off)"));
    model.addAttribute("series", verifications.recent(ROWS));
    JdbcPullLedger pullLedger = pulls.getIfAvailable();
    model.addAttribute("pulls", pullLedger == null ? null : pullLedger.recent(ROWS));
    model.addAttribute("pending", outbox.count("PENDING"));
    model.addAttribute("dead", outbox.count("DEAD"));
    model.addAttribute("delivered", outbox.count("DELIVERED"));
    List<EhrOutbox.Message> undelivered = outbox.undelivered();
    model.addAttribute("messages", undelivered.subList(0, Math.min(ROWS, undelivered.size())));
    model.addAttribute("moreMessages", Math.max(0, undelivered.size() - ROWS));
    model.addAttribute("nodes", custody.maliciousNodes());
    return "console/operations";
  }

  /** Puts a dead letter back in the EHR outbox, due now, as {@code $ehr-outbox replay=} does; audited. */
  @PostMapping("/console/operations/outbox/{id}/replay")
  public String replay(@PathVariable long id, HttpServletRequest request) {
    ConsoleAccess.act("replay a dead letter", Role.ADMIN);
    if (!outbox.replay(id)) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "Message " + id + " is not a dead letter.");
    }
    audit.record(ConsoleAccess.person(), request.getRemoteAddr(), "ehr-replay", AuditEvent.AuditEventAction.U,
        "outbox message " + id, AuditTrail.Outcome.SUCCESS, "dead letter put back in the EHR outbox");
    outbox.kick();
    return "redirect:/console/operations?replayed=" + id + "#outbox";
  }

  /** Checks the audit hash chain, as {@code $verify-audit-chain} does, and shows the answer. */
  @PostMapping("/console/operations/audit-chain")
  public String checkAuditChain(Model model) {
    ConsoleAccess.act("check the audit chain", Role.ADMIN);
    AuditTrail.Check check = audit.verify();
    model.addAttribute("chain", check);
    return operations(model);
  }
}
