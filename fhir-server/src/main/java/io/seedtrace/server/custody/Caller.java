package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.seedtrace.core.trace.TransmissionPath;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who called a custody operation and through which nodes: the authenticated client (token
 * subject), the direct peer address and the path named by the forwarding headers.
 */
public record Caller(String actor, String peer, TransmissionPath path) {

  /** The header by which registered relay nodes name themselves. */
  public static final String NODE_ID_HEADER = "X-SeedTrace-Node";

  public static Caller of(RequestDetails request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String actor = auth == null ? "anonymous" : auth.getName();
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
      HttpServletRequest http = servlet.getServletRequest();
      String peer = http.getRemoteAddr();
      TransmissionPath path = TransmissionPath.of(peer, headers(http, "Forwarded"), headers(http, "X-Forwarded-For"),
          headers(http, NODE_ID_HEADER));
      return new Caller(actor, peer, path);
    }
    return new Caller(actor, "", TransmissionPath.of("127.0.0.1", List.of(), List.of(), List.of()));
  }

  private static List<String> headers(HttpServletRequest http, String name) {
    return Collections.list(http.getHeaders(name));
  }
}
