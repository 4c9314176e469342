package io.seedtrace.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The request as a BALP query entity records it: the path below the FHIR base and the query string. */
final class QueryText {

  private QueryText() {}

  /**
   * The query string as the client sent it when there is one; otherwise (a search by POST, whose
   * parameters came in the body) the parameters HAPI read, sorted by name.
   */
  static String of(RequestDetails request) {
    String path = request.getRequestPath() == null ? "" : request.getRequestPath();
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
        && servlet.getServletRequest().getQueryString() != null) {
      return path + "?" + servlet.getServletRequest().getQueryString();
    }
    Map<String, String[]> parameters = request.getParameters();
    if (parameters == null || parameters.isEmpty()) {
      return path;
    }
    StringJoiner query = new StringJoiner("&", path + "?", "");
    new TreeMap<>(parameters).forEach((name, values) -> {
      for (String value : values) {
        query.add(encode(name) + "=" + encode(value));
      }
    });
    return query.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
