package io.seedtrace.server.security.http;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.SQLDataException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Keeps internals out of FHIR error answers. An exception that is not one of HAPI's HTTP
 * exceptions (or HAPI's wrapping of one in "Failed to call access method") is either the client's
 * fault, answered 400 without the exception's text: a value too long or out of range for the
 * database, a parameter that is not a number, an operation's argument out of its range (an
 * {@link IllegalArgumentException} while an operation runs); or the server's, answered 500 with only an incident id, which the log line at
 * ERROR (with the stack trace) carries too. SQL text, class names and stack traces stay in the log.
 * It also keeps {@link ClientErrorLogFilter} installed.
 */
@Interceptor
public class SafeExceptionInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(SafeExceptionInterceptor.class);

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
  public boolean quietRefusals() {
    ClientErrorLogFilter.ensureInstalled();
    return true;
  }

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException sanitise(RequestDetails request, Throwable thrown) {
    if (thrown instanceof BaseServerResponseException http && !(thrown instanceof InternalErrorException)) {
      return http;
    }
    Throwable cause = thrown instanceof InternalErrorException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (has(cause, DataIntegrityViolationException.class) || has(cause, SQLDataException.class)) {
      LOG.warn("400 {} {}: a value the database refuses: {}", method(request), path(request), cause.toString());
      return new InvalidRequestException("a value in the request is too long or out of range");
    }
    if (has(thrown, NumberFormatException.class)) {
      return new InvalidRequestException("a parameter that must be a number is not one");
    }
    if (request != null && request.getOperation() != null && (has(thrown, IllegalArgumentException.class)
        || thrown instanceof InternalErrorException && String.valueOf(thrown.getMessage()).contains("IllegalArgumentException"))) {
      // an operation refusing one of its arguments
      LOG.warn("400 {} {}: {}", method(request), path(request), thrown.getMessage());
      return new InvalidRequestException("a parameter value is out of range");
    }
    if (thrown instanceof InternalErrorException internal && thrown.getCause() == null) {
      return internal;
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("500 {} {}: incident {}", method(request), path(request), incident, thrown);
    return new InternalErrorException("internal error; incident " + incident);
  }

  private static boolean has(Throwable thrown, Class<? extends Throwable> type) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String method(RequestDetails request) {
    return request == null || request.getRequestType() == null ? "?" : request.getRequestType().name();
  }

  private static String path(RequestDetails request) {
    return request == null ? "?" : "/fhir/" + request.getRequestPath();
  }
}
