package io.seedtrace.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Bulk Data client as the HL7 IG describes one, over plain HTTP: kick-off with
 * {@code Prefer: respond-async}, polling the status URL until the manifest, downloading NDJSON with
 * the bearer token.
 */
public final class BulkExportClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;

  public BulkExportClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** {@code GET baseUrl + path} with {@code Prefer: respond-async} and the token (null: none). */
  public HttpResponse<String> kickOff(String path, String token) {
    return send("GET", baseUrl + path, token, "Prefer", "respond-async", "Accept", "application/fhir+json");
  }

  /** {@code POST baseUrl + path} with a Parameters body, {@code Prefer: respond-async} and the token. */
  public HttpResponse<String> kickOffPost(String path, String token, String parametersJson) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .POST(HttpRequest.BodyPublishers.ofString(parametersJson))
        .header("Authorization", "Bearer " + token).header("Prefer", "respond-async")
        .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json").build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kicks off, expects 202, and returns the status URL from {@code Content-Location}. */
  public String start(String path, String token) {
    HttpResponse<String> accepted = kickOff(path, token);
    assertThat(accepted.statusCode()).as(path + ": " + accepted.body()).isEqualTo(202);
    return accepted.headers().firstValue("Content-Location").orElseThrow();
  }

  /** Polls the status URL (202 with X-Progress meanwhile) until it answers 200, and returns the manifest. */
  public JsonNode awaitManifest(String statusUrl, String token) {
    List<HttpResponse<String>> last = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      HttpResponse<String> status = send("GET", statusUrl, token);
      if (status.statusCode() == 202) {
        assertThat(status.headers().firstValue("X-Progress")).isPresent();
        return false;
      }
      last.add(status);
      return true;
    });
    HttpResponse<String> done = last.get(0);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    try {
      return JSON.readTree(done.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Kicks off, polls to the manifest and downloads every file: NDJSON lines by resource type. */
  public Map<String, List<String>> export(String path, String token) {
    return download(awaitManifest(start(path, token), token), token);
  }

  /** Downloads every output file of the manifest; checks each file's line count against its count. */
  public Map<String, List<String>> download(JsonNode manifest, String token) {
    return download(manifest, token, "application/fhir+ndjson");
  }

  /** {@link #download(JsonNode, String)} of files of another NDJSON media type (the authority's ledger). */
  public Map<String, List<String>> download(JsonNode manifest, String token, String mediaType) {
    assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (JsonNode output : manifest.get("output")) {
      HttpResponse<String> file = send("GET", output.get("url").asText(), token);
      assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith(mediaType);
      List<String> fileLines = file.body().lines().filter(l -> !l.isBlank()).toList();
      assertThat(fileLines).as("lines of " + output).hasSize(output.get("count").asInt());
      lines.computeIfAbsent(output.get("type").asText(), t -> new ArrayList<>()).addAll(fileLines);
    }
    return lines;
  }

  /** Any request to an absolute URL, with optional token and header name/value pairs. */
  public static HttpResponse<String> send(String method, String url, String token, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
