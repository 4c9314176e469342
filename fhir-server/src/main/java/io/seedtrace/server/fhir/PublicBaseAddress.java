package io.seedtrace.server.fhir;

import ca.uhn.fhir.rest.server.IServerAddressStrategy;
import io.seedtrace.server.security.http.ClientOrigin;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The FHIR base URL written into paging links and {@code Location} headers when
 * {@code seedtrace.fhir.server-address} is not set. It never follows the request's {@code Host}
 * header, which any client may set: it is built from what a trusted proxy forwarded
 * ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}), else from the local address and port
 * the connection came in on ({@code localhost} for a loopback address).
 */
public final class PublicBaseAddress implements IServerAddressStrategy {

  @Override
  public String determineServerBase(ServletContext servletContext, HttpServletRequest request) {
    ClientOrigin origin = ClientOrigin.of(request);
    String scheme = origin.forwardedProto().orElse(request.getScheme());
    String path = request.getContextPath() + request.getServletPath();
    String authority = origin.forwardedHost().orElseGet(() -> localAuthority(request, scheme));
    return scheme + "://" + authority + path;
  }

  private static String localAuthority(HttpServletRequest request, String scheme) {
    String host = request.getLocalAddr();
    try {
      if (InetAddress.getByName(host).isLoopbackAddress()) {
        host = "localhost";
      }
    } catch (UnknownHostException notAnAddress) {
      host = "localhost";
    }
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    int port = request.getLocalPort();
    boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return defaultPort ? host : host + ":" + port;
  }
}
