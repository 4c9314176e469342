package io.seedtrace.server.security.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Spring Boot's error page ({@code /error}) as a FHIR OperationOutcome: what the servlet container
 * or Spring refuses before the FHIR server sees it (a path with {@code ;} or {@code ..} rejected by
 * the firewall, an unknown path) gets the same kind of body as a FHIR error, and never a stack
 * trace or an exception's text.
 */
@org.springframework.web.bind.annotation.RestController
public class OperationOutcomeErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  public ResponseEntity<String> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i && i >= 400 ? i : 500;
    HttpStatus known = HttpStatus.resolve(status);
    String reason = known == null ? "error" : known.getReasonPhrase();
    return ResponseEntity.status(status)
        .contentType(MediaType.parseMediaType(OperationOutcomes.CONTENT_TYPE))
        .body(OperationOutcomes.json(status, status + " " + reason
            + (status == 400 ? ": the request was refused (malformed or not allowed path, header or body)" : "")));
  }
}
