package io.seedtrace.server.security.http;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The FHIR error body every HTTP error of the server carries, wherever it is produced. */
public final class OperationOutcomes {

  static final String CONTENT_TYPE = "application/fhir+json;charset=UTF-8";

  private OperationOutcomes() {}

  static String json(int status, String diagnostics) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(code(status))
        .setDiagnostics(diagnostics);
    return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(outcome);
  }

  /** Sets the status and writes the OperationOutcome, unless something was written already. */
  public static void send(HttpServletResponse response, int status, String diagnostics) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(CONTENT_TYPE);
    byte[] body = json(status, diagnostics).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  private static OperationOutcome.IssueType code(int status) {
    return switch (status) {
      case 401 -> OperationOutcome.IssueType.LOGIN;
      case 403 -> OperationOutcome.IssueType.FORBIDDEN;
      case 404 -> OperationOutcome.IssueType.NOTFOUND;
      case 413 -> OperationOutcome.IssueType.TOOCOSTLY;
      case 429 -> OperationOutcome.IssueType.THROTTLED;
      default -> status >= 500 ? OperationOutcome.IssueType.EXCEPTION : OperationOutcome.IssueType.INVALID;
    };
  }
}
