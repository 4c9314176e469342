package io.seedtrace.server.security.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.slf4j.Marker;

/**
 * HAPI's interceptor service logs every exception an interceptor throws at ERROR with its stack
 * trace, then rethrows it; for a refusal (403 from the access rules, 404 for a hidden resource) that
 * is noise that buries real errors. This drops those ERROR lines when the exception is a client
 * error (4xx); the refusal itself is logged once at WARN with the rule that refused (by
 * {@code FhirAccessInterceptor} and HAPI's exception handling). Server errors pass untouched.
 */
public class ClientErrorLogFilter extends TurboFilter {

  static final String HAPI_INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";

  /**
   * Adds the filter to Logback unless it is there. Called per request, because Spring Boot resets
   * Logback (and drops turbo filters) whenever another application starts in the same JVM.
   */
  static void ensureInstalled() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
        && logback.getTurboFilterList().stream().noneMatch(ClientErrorLogFilter.class::isInstance)) {
      synchronized (ClientErrorLogFilter.class) {
        if (logback.getTurboFilterList().stream().noneMatch(ClientErrorLogFilter.class::isInstance)) {
          logback.addTurboFilter(new ClientErrorLogFilter());
        }
      }
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || logger == null || !HAPI_INTERCEPTOR_SERVICE.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    if (isClientError(t)) {
      return FilterReply.DENY;
    }
    if (params != null) {
      for (Object param : params) {
        if (param instanceof Throwable thrown && isClientError(thrown)) {
          return FilterReply.DENY;
        }
      }
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean isClientError(Throwable t) {
    return t instanceof BaseServerResponseException http && http.getStatusCode() >= 400 && http.getStatusCode() < 500;
  }
}
