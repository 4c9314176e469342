package io.seedtrace.server.verification;

import io.seedtrace.server.custody.CustodyCodes;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * A later verification of a CT series replaces the report of an earlier one (made from fewer
 * instances: an incomplete series, or one that late instances completed). The new report names the
 * old one in the {@code supersedes-report} extension, and the old one becomes {@code
 * entered-in-error}: here in the same transaction as the new results, at the EHR by a conditional
 * FHIRPath patch on the old report's identifier, queued after the new results.
 *
 * <p>The earlier report is found in {@code st_verification} (the database every node shares), so
 * whichever node verifies the series again finds it.
 */
public final class ReportSupersession {

  public static final String EXT_SUPERSEDES = CustodyCodes.SD + "supersedes-report";

  /** The earlier verification of the series whose report the new one replaces. */
  public record Earlier(String verificationId, String reportId) {}

  private ReportSupersession() {}

  /** The most recent other verification of the series that produced a report. */
  static Optional<Earlier> find(VerificationTables tables, String seriesUid, String verificationId) {
    return tables.latestReportOf(seriesUid, verificationId).map(r -> new Earlier(r.verificationId(), r.reportId()));
  }

  /** Names the earlier report in the new one, by id (this server) and by identifier (anywhere). */
  static void link(DiagnosticReport report, Earlier earlier) {
    Reference old = new Reference(earlier.reportId()).setIdentifier(identifier(earlier))
        .setDisplay("earlier report of this series, made from fewer instances");
    report.addExtension(new Extension(EXT_SUPERSEDES, old));
  }

  /** The old report as stored here, now entered-in-error, for the transaction that stores the new one. */
  static DiagnosticReport withdrawn(DiagnosticReport old) {
    old.setStatus(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR);
    return old;
  }

  /**
   * In the bundle for the EHR, the link keeps only the identifier: the id is this server's.
   */
  static void linkByIdentifierOnly(Bundle ehrBundle) {
    for (Bundle.BundleEntryComponent e : ehrBundle.getEntry()) {
      if (e.getResource() instanceof DiagnosticReport r) {
        r.getExtensionsByUrl(EXT_SUPERSEDES).forEach(x -> ((Reference) x.getValue()).setReference(null));
      }
    }
  }

  /**
   * A transaction for the EHR that sets the old report's status to entered-in-error, found by its
   * identifier (R4 FHIRPath patch). Sent as a message of its own, so an EHR that never received the
   * old report refuses only this and still has the new one.
   */
  static Bundle withdrawalAtEhr(Earlier earlier) {
    Parameters patch = new Parameters();
    Parameters.ParametersParameterComponent op = patch.addParameter().setName("operation");
    op.addPart().setName("type").setValue(new CodeType("replace"));
    op.addPart().setName("path").setValue(new StringType("DiagnosticReport.status"));
    op.addPart().setName("value").setValue(new CodeType("entered-in-error"));
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(patch).getRequest()
        .setMethod(Bundle.HTTPVerb.PATCH).setUrl("DiagnosticReport?identifier=" + VerificationResults.SID_VERIFICATION
            + "|" + earlier.verificationId());
    return tx;
  }

  private static Identifier identifier(Earlier earlier) {
    return new Identifier().setSystem(VerificationResults.SID_VERIFICATION).setValue(earlier.verificationId());
  }
}
