package io.seedtrace.server.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.patch.JsonPatchUtils;
import io.seedtrace.server.verification.VerificationResults;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The EHR message of a sign-off, applied by HAPI's own JSON Patch as a HAPI-based EHR would. */
class SignedReportAtEhrTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void theSignedPdfAndTheSignerReplaceTheUnsignedOnesHoweverOftenTheMessageIsApplied() {
    DiagnosticReport atEhr = new DiagnosticReport();
    atEhr.addIdentifier().setSystem(VerificationResults.SID_VERIFICATION).setValue("v-1");
    atEhr.addPresentedForm().setContentType("application/pdf").setData(bytes("unsigned")).setTitle("report");
    Attachment signed = new Attachment().setContentType("application/pdf").setData(bytes("signed")).setTitle("report");
    Reference signer = new Reference().setIdentifier(new Identifier().setSystem(SignOff.SID_CONSOLE_USER)
        .setValue("curie")).setDisplay("curie (physicist)");

    Bundle message = SignedReportAtEhr.patch("v-1", signed, signer);
    assertThat(message.getEntryFirstRep().getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PATCH);
    assertThat(message.getEntryFirstRep().getRequest().getUrl())
        .isEqualTo("DiagnosticReport?identifier=" + VerificationResults.SID_VERIFICATION + "|v-1");
    // as the EHR receives it: through JSON
    Binary patch = (Binary) FHIR.newJsonParser().parseResource(Bundle.class,
        FHIR.newJsonParser().encodeResourceToString(message)).getEntryFirstRep().getResource();
    assertThat(patch.getContentType()).isEqualTo("application/json-patch+json");
    for (int time = 1; time <= 2; time++) {
      atEhr = JsonPatchUtils.apply(FHIR, atEhr, new String(patch.getData(), StandardCharsets.UTF_8));
      assertThat(atEhr.getPresentedForm()).as("applied " + time + " time(s)").singleElement()
          .satisfies(a -> assertThat(new String(a.getData(), StandardCharsets.UTF_8)).isEqualTo("signed"));
      assertThat(atEhr.getResultsInterpreter()).singleElement()
          .satisfies(r -> assertThat(r.getDisplay()).isEqualTo("curie (physicist)"));
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
