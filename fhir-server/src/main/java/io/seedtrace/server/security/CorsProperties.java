package io.seedtrace.server.security;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * Which web pages may call the FHIR API and the SMART discovery from a browser
 * ({@code seedtrace.security.cors.allowed-origins}): a browser-based SMART app or FHIR client served
 * from another origin. Only the listed origins get CORS headers, only on {@code /fhir/**} and
 * {@code /.well-known/**}; the default, none, sends no CORS headers at all. Credentials are never
 * allowed (calls carry a bearer token, not cookies), so a page cannot ride on a signed-in console.
 *
 * @param allowedOrigins exact origins ({@code https://app.example.org}), no wildcards
 */
@ConfigurationProperties("seedtrace.security.cors")
public record CorsProperties(List<String> allowedOrigins) {

  /** Path prefixes (after the context path) that answer CORS requests. */
  static final List<String> PATHS = List.of("/fhir/", "/.well-known/");

  public CorsProperties {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    for (String origin : allowedOrigins) {
      URI uri = URI.create(origin);
      if (origin.contains("*") || uri.getScheme() == null || uri.getHost() == null
          || !(uri.getPath() == null || uri.getPath().isEmpty())) {
        throw new IllegalArgumentException("seedtrace.security.cors.allowed-origins: '" + origin
            + "' is not an origin (scheme://host[:port], no path, no wildcard)");
      }
    }
  }

  public boolean enabled() {
    return !allowedOrigins.isEmpty();
  }

  /**
   * The CORS rules for the API's chain: the listed origins on the FHIR and discovery paths only.
   * Matched on the whole request path (not the path within a servlet: the FHIR server is a servlet
   * of its own at {@code /fhir/*}).
   */
  CorsConfigurationSource source() {
    if (!enabled()) {
      return request -> null;
    }
    CorsConfiguration rules = new CorsConfiguration();
    rules.setAllowedOrigins(allowedOrigins);
    rules.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
    rules.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Prefer", "If-Match",
        "If-None-Match", "If-None-Exist", "If-Modified-Since", "X-Request-Id"));
    rules.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "X-Progress",
        "Retry-After", "X-Request-Id"));
    rules.setAllowCredentials(false);
    rules.setMaxAge(3600L);
    return request -> {
      String path = request.getRequestURI().substring(request.getContextPath().length()) + "/";
      return PATHS.stream().anyMatch(path::startsWith) ? rules : null;
    };
  }
}
