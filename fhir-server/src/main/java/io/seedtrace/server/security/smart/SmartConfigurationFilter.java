package io.seedtrace.server.security.smart;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.server.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves the SMART configuration (SMART App Launch 2.x, section "Conformance") at
 * {@code /.well-known/smart-configuration} and {@code /fhir/.well-known/smart-configuration}, open
 * to everyone ({@code GET} only), so that SMART clients find the token endpoint from the FHIR base
 * URL. This server supports SMART Backend Services only: client-credentials grant with an
 * asymmetric client assertion ({@code private_key_jwt}, RS384 or ES384) or a client secret, and
 * system scopes in both the v1 and the v2 syntax.
 */
public final class SmartConfigurationFilter extends OncePerRequestFilter {

  public static final Set<String> PATHS = Set.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SmartEndpoints endpoints;

  public SmartConfigurationFilter(SmartEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !PATHS.contains(path);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.setHeader("Allow", "GET, HEAD");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "max-age=300");
    JSON.writerWithDefaultPrettyPrinter().writeValue(response.getOutputStream(), configuration(request));
  }

  Map<String, Object> configuration(HttpServletRequest request) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("token_endpoint", endpoints.tokenEndpoint(request));
    config.put("grant_types_supported", List.of("client_credentials"));
    config.put("token_endpoint_auth_methods_supported",
        List.of("private_key_jwt", "client_secret_basic", "client_secret_post"));
    config.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    List<String> scopes = new ArrayList<>(List.of(
        "system/*.rs", "system/*.cruds", "system/*.read", "system/*.write", "system/*.*",
        "system/DiagnosticReport.rs", "system/DiagnosticReport.read", "system/DetectedIssue.rs",
        "system/DetectedIssue.read", "system/Observation.rs", "system/Observation.read"));
    for (Role role : Role.values()) {
      scopes.add(role.claimValue());
    }
    config.put("scopes_supported", scopes);
    config.put("capabilities", List.of(
        "client-confidential-asymmetric", "client-confidential-symmetric", "permission-v1", "permission-v2"));
    return config;
  }
}
