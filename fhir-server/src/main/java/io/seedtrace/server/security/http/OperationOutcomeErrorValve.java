package io.seedtrace.server.security.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for what it refuses before any servlet runs (an encoded slash, a malformed
 * request line), as an OperationOutcome instead of an HTML page naming the server.
 */
public class OperationOutcomeErrorValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    try {
      response.setContentType(OperationOutcomes.CONTENT_TYPE);
      response.getOutputStream().write(OperationOutcomes.json(status, status + " the request was refused")
          .getBytes(StandardCharsets.UTF_8));
      response.finishResponse();
    } catch (IOException | IllegalStateException ignored) {
      // the client went away or the response is closed: nothing more to say
    }
  }
}
