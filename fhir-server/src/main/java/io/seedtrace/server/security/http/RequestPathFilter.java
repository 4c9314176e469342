package io.seedtrace.server.security.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything else looks at it, a request path that no client of ours sends and that
 * path-confusion attacks rely on: path parameters ({@code ;}), dot segments ({@code ..}, also
 * encoded), encoded slashes, backslashes and NUL. The answer is 400 with an OperationOutcome; the
 * servlet container, Spring Security and the FHIR server would otherwise each read such a path
 * their own way (one of them answered 500).
 */
public class RequestPathFilter extends OncePerRequestFilter {

  private static final List<String> REFUSED = List.of(";", "%3b", "/..", "%2e", "%2f", "%5c", "\\", "%00");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().toLowerCase(Locale.ROOT);
    for (String refused : REFUSED) {
      if (path.contains(refused)) {
        OperationOutcomes.send(response, 400, "the request path holds '" + refused + "', which is not accepted");
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
