package io.seedtrace.server.security.smart;

import io.seedtrace.server.fhir.FhirProperties;
import io.seedtrace.server.fhir.PublicBaseAddress;
import io.seedtrace.server.security.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The public addresses SMART clients see: the token endpoint written into
 * {@code /.well-known/smart-configuration} and the CapabilityStatement, and the audiences a client
 * assertion may name. {@code seedtrace.security.smart.token-endpoint} when set; else this server's
 * {@code /oauth2/token} at its public address ({@code seedtrace.fhir.server-address} without
 * {@code /fhir}, else as {@link PublicBaseAddress} finds it: never from the {@code Host} header).
 */
public final class SmartEndpoints {

  public static final String TOKEN_PATH = "/oauth2/token";
  private final SecurityProperties security;
  private final FhirProperties fhir;

  public SmartEndpoints(SecurityProperties security, FhirProperties fhir) {
    this.security = security;
    this.fhir = fhir;
  }

  public String tokenEndpoint(HttpServletRequest request) {
    String configured = security.smart().tokenEndpoint();
    return configured.isBlank() ? origin(request) + TOKEN_PATH : configured;
  }

  /**
   * What a client assertion's {@code aud} may be: the advertised token endpoint, this server's
   * own token endpoint, and the embedded issuer's ({@code issuer} + {@code /oauth2/token}).
   */
  public Set<String> assertionAudiences(HttpServletRequest request) {
    Set<String> audiences = new LinkedHashSet<>();
    if (request != null) {
      audiences.add(tokenEndpoint(request));
      audiences.add(origin(request) + TOKEN_PATH);
    } else if (!security.smart().tokenEndpoint().isBlank()) {
      audiences.add(security.smart().tokenEndpoint());
    }
    String issuer = security.embeddedIssuer().issuer();
    audiences.add((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + TOKEN_PATH);
    return audiences;
  }

  /** Scheme, authority and context path of this server as its clients reach it. */
  public String origin(HttpServletRequest request) {
    String address = fhir.serverAddress();
    if (!address.isBlank()) {
      String base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
      return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }
    String base = new PublicBaseAddress().determineServerBase(null, request);
    String suffix = request.getContextPath() + request.getServletPath();
    if (!suffix.isEmpty() && base.endsWith(suffix)) {
      base = base.substring(0, base.length() - suffix.length());
    }
    return base + request.getContextPath();
  }
}
