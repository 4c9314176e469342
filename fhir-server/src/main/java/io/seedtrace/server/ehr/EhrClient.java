package io.seedtrace.server.ehr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Posts a FHIR transaction bundle to the EHR's base URL, authenticated as configured: no
 * authentication, a fixed bearer token, or an OAuth2 client-credentials token (fetched, cached
 * until shortly before it expires, fetched again after a 401). Every post carries the message's
 * key in an {@code Idempotency-Key} header (the same on every attempt and from every node), so an
 * EHR that keeps such keys can drop a repeat before it reads the bundle; the bundle's conditional
 * creates make a repeat harmless anyway.
 */
public class EhrClient {

  /** The header that names a message; one value per message, whatever the attempt. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /**
   * The outcome of one attempt; {@code permanent} failures are not retried. {@code unanswered}: the
   * EHR took the request but did not answer within the timeout, so it may still be working on it.
   */
  public record Result(boolean delivered, boolean permanent, boolean unanswered, String error) {
    static Result ok() {
      return new Result(true, false, false, null);
    }

    static Result retry(String error) {
      return new Result(false, false, false, error);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EhrProperties properties;
  private final HttpClient http;
  private final Clock clock;
  private String token;
  private Instant tokenExpiry = Instant.MIN;

  public EhrClient(EhrProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
  }

  /** Posts the bundle once, naming it by {@code messageKey}. */
  public Result send(String bundleJson, String messageKey) {
    try {
      HttpResponse<String> response = post(bundleJson, messageKey);
      if (response.statusCode() == 401 && usesTokenEndpoint()) {
        token = null;
        response = post(bundleJson, messageKey);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return Result.ok();
      }
      String error = "HTTP " + status + ": " + abbreviate(response.body());
      boolean permanent = status == 400 || status == 404 || status == 405 || status == 422;
      return new Result(false, permanent, false, error);
    } catch (HttpConnectTimeoutException e) {
      return Result.retry("no connection within " + properties.timeout());
    } catch (HttpTimeoutException e) {
      return new Result(false, false, true, "no answer within " + properties.timeout());
    } catch (IOException e) {
      return Result.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.retry("interrupted");
    } catch (RuntimeException e) {
      return Result.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private HttpResponse<String> post(String bundleJson, String messageKey) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.baseUrl()))
        .timeout(properties.timeout())
        .header("Content-Type", "application/fhir+json")
        .header("Accept", "application/fhir+json")
        .header(IDEMPOTENCY_KEY, messageKey)
        .POST(HttpRequest.BodyPublishers.ofString(bundleJson, StandardCharsets.UTF_8));
    String bearer = bearer();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private synchronized String bearer() throws IOException, InterruptedException {
    switch (properties.auth()) {
      case "bearer":
        return properties.bearerToken();
      case "client-credentials":
      case "smart-backend":
        if (token == null || clock.instant().isAfter(tokenExpiry)) {
          fetchToken();
        }
        return token;
      default:
        return null;
    }
  }

  private boolean usesTokenEndpoint() {
    return "client-credentials".equals(properties.auth()) || "smart-backend".equals(properties.auth());
  }

  private void fetchToken() throws IOException, InterruptedException {
    String form = "grant_type=client_credentials" + (properties.scope().isBlank() ? ""
        : "&scope=" + java.net.URLEncoder.encode(properties.scope(), StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.tokenUrl()))
        .timeout(properties.timeout())
        .header("Content-Type", "application/x-www-form-urlencoded");
    if ("smart-backend".equals(properties.auth())) {
      form += "&client_assertion_type=" + java.net.URLEncoder.encode(
          "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
          + "&client_assertion=" + SmartClientAssertion.create(properties, clock);
    } else {
      String basic = Base64.getEncoder().encodeToString((properties.clientId() + ":" + properties.clientSecret())
          .getBytes(StandardCharsets.UTF_8));
      request.header("Authorization", "Basic " + basic);
    }
    HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("token request to " + properties.tokenUrl() + " got HTTP " + response.statusCode());
    }
    JsonNode json = JSON.readTree(response.body());
    token = json.path("access_token").asText(null);
    long ttl = json.path("expires_in").asLong(300);
    tokenExpiry = clock.instant().plusSeconds(Math.max(10, ttl - 30));
    if (token == null) {
      throw new IOException("token response without access_token");
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
