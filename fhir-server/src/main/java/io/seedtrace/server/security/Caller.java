package io.seedtrace.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.seedtrace.core.trace.TransmissionPath;
import io.seedtrace.server.security.http.ClientOrigin;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who called a custody operation and through which nodes: the authenticated client (token
 * subject), the originating address (resolved through the trusted proxies, see
 * {@link ClientOrigin}) and the believed path with the relay node ids the request names.
 */
public record Caller(String actor, String peer, TransmissionPath path) {

  /** The header by which registered relay nodes name themselves. */
  public static final String NODE_ID_HEADER = "X-SeedTrace-Node";

  public static Caller of(RequestDetails request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String actor = auth == null ? "anonymous" : auth.getName();
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
      return of(servlet.getServletRequest());
    }
    return new Caller(actor, "", TransmissionPath.of("127.0.0.1", List.of(), List.of(), List.of()));
  }

  /** The caller of a plain HTTP request (a console page): the signed-in person and the request's path. */
  public static Caller of(HttpServletRequest http) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String actor = auth == null ? "anonymous" : auth.getName();
    ClientOrigin origin = ClientOrigin.of(http);
    return new Caller(actor, origin.address(), new TransmissionPath(origin.path(), nodeIds(http)));
  }

  private static List<String> nodeIds(HttpServletRequest http) {
    List<String> ids = new ArrayList<>();
    for (String header : Collections.list(http.getHeaders(NODE_ID_HEADER))) {
      for (String id : header.split(",")) {
        if (!id.isBlank()) {
          ids.add(id.trim());
        }
      }
    }
    return ids;
  }
}
