package io.seedtrace.server.console.report;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.verification.VerificationResults;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signed-off report delivered to the EHR through the EHR outbox (never by a direct call): one
 * message that changes the report the EHR already holds, found there by its identifier (the
 * verification id), with a conditional JSON Patch: the PDF in {@code presentedForm} is replaced by
 * the signed one and the signer becomes the report's {@code resultsInterpreter}. The
 * EHR keeps one report (the same resource, a new version), not a second document beside the first.
 *
 * <p>Idempotent twice over: the message is keyed {@code <verification>#signed-off}, so it is queued
 * once; and the patch leaves the same report however often it is applied (each operation sets a
 * whole member). It is queued under the patient's key, after the verification's own
 * message, which it therefore never overtakes.
 */
public final class SignedReportAtEhr {

  private static final Logger LOG = LoggerFactory.getLogger(SignedReportAtEhr.class);
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_PATCH = "application/json-patch+json";

  /** What the message key of a sign-off ends in, after the verification id. */
  public static final String KEY_SUFFIX = "#signed-off";

  private final EhrOutbox outbox;

  public SignedReportAtEhr(EhrOutbox outbox) {
    this.outbox = outbox;
  }

  /**
   * Queues the signed report for the EHR (under its patient's key, the key of the verification's
   * own message) and asks for delivery now; nothing for a report without a verification id or PDF.
   */
  public void queue(DiagnosticReport signed) {
    Optional<String> verification = signed.getIdentifier().stream()
        .filter(i -> VerificationResults.SID_VERIFICATION.equals(i.getSystem())).map(Identifier::getValue).findFirst();
    Optional<Attachment> pdf = signed.getPresentedForm().stream()
        .filter(a -> "application/pdf".equals(a.getContentType()) && a.hasData()).findFirst();
    if (verification.isEmpty() || pdf.isEmpty()) {
      LOG.warn("Report {} was signed off but has no verification id or PDF: nothing goes to the EHR",
          signed.getIdElement().getIdPart());
      return;
    }
    Reference interpreter = signed.getResultsInterpreterFirstRep().copy();
    String json = FHIR.newJsonParser().encodeResourceToString(patch(verification.get(), pdf.get(), interpreter));
    String patient = signed.getSubject().hasReference() ? signed.getSubject().getReference()
        : "DiagnosticReport/" + signed.getIdElement().getIdPart();
    outbox.enqueue(patient, "verification " + verification.get() + " signed off by "
        + interpreter.getDisplay(), verification.get() + KEY_SUFFIX, json);
    outbox.kick();
  }

  /**
   * The transaction for the EHR: one conditional JSON Patch of the report with this verification
   * id, as a Binary of {@code application/json-patch+json}. Each operation is an {@code add} of a
   * whole member, which replaces the member where it exists: applied twice, the same report.
   */
  static Bundle patch(String verificationId, Attachment signedPdf, Reference interpreter) {
    DiagnosticReport changes = new DiagnosticReport();
    changes.addPresentedForm(signedPdf.copy());
    changes.addResultsInterpreter(interpreter.copy().setReference(null));
    byte[] operations;
    try {
      JsonNode members = JSON.readTree(FHIR.newJsonParser().encodeResourceToString(changes));
      ArrayNode ops = JSON.createArrayNode();
      for (String member : List.of("presentedForm", "resultsInterpreter")) {
        ops.addObject().put("op", "add").put("path", "/" + member).set("value", members.get(member));
      }
      operations = JSON.writeValueAsBytes(ops);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the sign-off patch does not encode", e);
    }
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(new Binary().setContentType(JSON_PATCH).setData(operations)).getRequest()
        .setMethod(Bundle.HTTPVerb.PATCH).setUrl("DiagnosticReport?identifier=" + VerificationResults.SID_VERIFICATION
            + "|" + verificationId);
    return tx;
  }
}
