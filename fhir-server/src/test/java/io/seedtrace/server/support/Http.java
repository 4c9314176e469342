package io.seedtrace.server.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to the running server, for tests that need the exact status and body. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String baseUrl;

  public Http(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * Sends {@code method path} with an optional bearer token and body ({@code null} for none).
   *
   * @param contentType the body's media type, ignored without a body
   */
  public HttpResponse<String> send(String method, String path, String token, String contentType, String body) {
    return exchange(method, path, token, contentType, body == null ? null : HttpRequest.BodyPublishers.ofString(body));
  }

  /** As {@link #send(String, String, String, String, String)}, with a binary body. */
  public HttpResponse<String> sendBytes(String method, String path, String token, String contentType, byte[] body) {
    return exchange(method, path, token, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> exchange(String method, String path, String token, String contentType,
      HttpRequest.BodyPublisher body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path, String token) {
    return send("GET", path, token, null, null);
  }
}
