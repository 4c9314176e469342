package io.seedtrace.server.security.smart;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a SMART Backend Services client assertion from a token request that, as SMART's clients
 * do, names no {@code client_id} (RFC 7523 makes it optional): the client is the assertion's
 * {@code iss}, which the assertion's validation ({@link ClientAssertionDecoders}) requires to equal
 * its {@code sub}, after checking its signature with that client's keys. Requests with a
 * {@code client_id} are left to the authorization server's own converter.
 */
public final class SmartClientAssertionConverter implements AuthenticationConverter {

  public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  @Override
  public Authentication convert(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    String[] types = request.getParameterValues("client_assertion_type");
    String[] assertions = request.getParameterValues("client_assertion");
    if (types == null || assertions == null || request.getParameter("client_id") != null) {
      return null;
    }
    if (types.length != 1 || assertions.length != 1 || !JWT_BEARER.equals(types[0])) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
          "one client_assertion_type " + JWT_BEARER + " and one client_assertion are required", null));
    }
    String issuer;
    try {
      JWTClaimsSet claims = JWTParser.parse(assertions[0]).getJWTClaimsSet();
      issuer = claims.getIssuer();
    } catch (ParseException e) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
          "the client assertion is not a JWT", null));
    }
    if (issuer == null || issuer.isBlank()) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
          "the client assertion names no issuer (the client id)", null));
    }
    return new OAuth2ClientAuthenticationToken(issuer, new ClientAuthenticationMethod(JWT_BEARER), assertions[0], Map.of());
  }
}
