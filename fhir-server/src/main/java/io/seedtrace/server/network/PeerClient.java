package io.seedtrace.server.network;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts one signed custody message to a peer's {@value NetworkEndpoints#MESSAGES_PATH}. A 2xx
 * answer means the peer stored it (or had it already); a 4xx other than 408 and 429 is a refusal
 * that sending again will not change; everything else (no connection, 5xx, timeout) is retried.
 */
public class PeerClient {

  /** The outcome of one attempt. */
  public record Result(boolean delivered, boolean permanent, String error) {}

  private final HttpClient http;
  private final Duration timeout;

  public PeerClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public Result post(String url, String messageId, String signedBundleJson) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
          .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
          .header("Idempotency-Key", messageId)
          .POST(HttpRequest.BodyPublishers.ofString(signedBundleJson, StandardCharsets.UTF_8)).build(),
          HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 == 2) {
        return new Result(true, false, null);
      }
      boolean permanent = status / 100 == 4 && status != 408 && status != 429;
      return new Result(false, permanent, "HTTP " + status + ": " + abbreviate(response.body()));
    } catch (IOException e) {
      return new Result(false, false, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, false, "interrupted");
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
