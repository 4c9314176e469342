package io.seedtrace.server.console.report;

import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A physicist's sign-off of a verification report: the person becomes the report's
 * {@code resultsInterpreter} (a logical reference by the console user's name) and the act is an
 * AuditEvent in the hash-chained audit trail. A report is signed off once; a withdrawn
 * (superseded) report cannot be.
 */
public final class SignOff {

  /** Identifier system of the console's people in references. */
  public static final String SID_CONSOLE_USER = CustodyCodes.BASE + "sid/console-user";

  private final FhirStore store;
  private final AuditTrail audit;

  public SignOff(FhirStore store, AuditTrail audit) {
    this.store = store;
    this.audit = audit;
  }

  /**
   * @throws ResponseStatusException 404 for an unknown report, 409 when it is already signed off or withdrawn
   */
  public synchronized void signOff(String reportId, String person, String role, String peer) {
    DiagnosticReport report = store.readOptional(DiagnosticReport.class, reportId)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No verification report " + reportId + "."));
    if (report.hasResultsInterpreter()) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "This report is already signed off by "
          + report.getResultsInterpreterFirstRep().getDisplay() + ".");
    }
    if (report.getStatus() == DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "This report was withdrawn (a later one replaced it).");
    }
    report.addResultsInterpreter(new Reference()
        .setIdentifier(new Identifier().setSystem(SID_CONSOLE_USER).setValue(person))
        .setDisplay(person + " (" + role + ")"));
    store.update(report);
    audit.record(person, peer, "report-sign-off", AuditEvent.AuditEventAction.U, "DiagnosticReport/" + reportId,
        AuditTrail.Outcome.SUCCESS, "verification report signed off by a physicist in the console");
  }
}
