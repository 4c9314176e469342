package io.seedtrace.server.console.report;

import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A physicist's sign-off of a verification report: the person becomes the report's
 * {@code resultsInterpreter} (a logical reference by the console user's name) and the act is an
 * AuditEvent in the hash-chained audit trail, and the printed report (PDF) says who signed it and
 * when; the signed report then goes to the EHR through the EHR outbox ({@link SignedReportAtEhr}).
 * A report is signed off once; a withdrawn (superseded) report cannot be.
 */
public final class SignOff {

  private static final Logger LOG = LoggerFactory.getLogger(SignOff.class);

  /** Identifier system of the console's people in references. */
  public static final String SID_CONSOLE_USER = CustodyCodes.BASE + "sid/console-user";

  private final FhirStore store;
  private final AuditTrail audit;
  private final SignedReportAtEhr ehr;
  private final java.util.function.Consumer<DiagnosticReport> signed;

  public SignOff(FhirStore store, AuditTrail audit, SignedReportAtEhr ehr) {
    this(store, audit, ehr, signed -> { });
  }

  /**
   * @param ehr queues the signed PDF for the EHR (through its outbox)
   * @param signed told of each report once it is signed off and stored (the PACS's copy of the signed PDF)
   */
  public SignOff(FhirStore store, AuditTrail audit, SignedReportAtEhr ehr,
      java.util.function.Consumer<DiagnosticReport> signed) {
    this.store = store;
    this.audit = audit;
    this.ehr = ehr;
    this.signed = signed;
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
    String signer = person + " (" + role + ")";
    report.addResultsInterpreter(new Reference()
        .setIdentifier(new Identifier().setSystem(SID_CONSOLE_USER).setValue(person))
        .setDisplay(signer));
    reprint(report, signer, Instant.now());
    store.update(report);
    audit.record(person, peer, "report-sign-off", AuditEvent.AuditEventAction.U, "DiagnosticReport/" + reportId,
        AuditTrail.Outcome.SUCCESS, "verification report signed off by a physicist in the console");
    ehr.queue(report);
    signed.accept(report);
  }

  /**
   * The printed report (its PDF {@code presentedForm}) made to say who signed it off and when. A PDF
   * that cannot be changed is left as it was (logged): the sign-off itself is the report's
   * {@code resultsInterpreter}, and the console shows it.
   */
  private static void reprint(DiagnosticReport report, String signer, Instant when) {
    for (Attachment printed : report.getPresentedForm()) {
      if (!"application/pdf".equals(printed.getContentType()) || !printed.hasData()) {
        continue;
      }
      try {
        printed.setData(SignedPdf.signed(printed.getData(), signer, when));
        printed.setCreationElement(new DateTimeType(Date.from(when)));
      } catch (IOException e) {
        LOG.warn("Report {}: the printed PDF could not be marked as signed off: {}",
            report.getIdElement().getIdPart(), e.getMessage());
      }
    }
  }
}
