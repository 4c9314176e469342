package io.seedtrace.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential FHIR requests to one server over one keep-alive HTTP/1.1 client: Device creates, reads
 * by id and identifier searches, each batch timed as requests per second.
 */
final class FhirLoad {

  static final String CARTRIDGES = "urn:seedtrace:bench:cartridge";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String fhirBase;
  private final String bearer;

  /** {@code token} null: no Authorization header (the bare server has no security). */
  FhirLoad(String base, String token) {
    this.fhirBase = base + "/fhir/";
    this.bearer = token;
  }

  /** What a timed batch did: the created ids (creates only) and the rate. */
  record Batch(List<String> ids, double perSecond) {}

  /** Creates one plain Device per serial, in order. */
  Batch create(List<String> serials) throws IOException, InterruptedException {
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    for (String serial : serials) {
      String body = "{\"resourceType\":\"Device\",\"status\":\"active\",\"serialNumber\":\"" + serial
          + "\",\"lotNumber\":\"BENCH-LOT\",\"identifier\":[{\"system\":\"" + CARTRIDGES + "\",\"value\":\""
          + serial + "\"}]}";
      HttpResponse<String> created = send(request("Device").header("Content-Type", "application/fhir+json")
          .POST(HttpRequest.BodyPublishers.ofString(body)), 201);
      String location = created.headers().firstValue("Location").orElseThrow();
      ids.add(location.substring(location.indexOf("/Device/") + 1).replaceAll("/_history/.*", ""));
    }
    return new Batch(ids, rate(serials.size(), start));
  }

  /** Reads each {@code Device/<id>}. */
  Batch read(List<String> ids) throws IOException, InterruptedException {
    long start = System.nanoTime();
    for (String id : ids) {
      send(request(id).GET(), 200);
    }
    return new Batch(List.of(), rate(ids.size(), start));
  }

  /** Searches {@code Device?identifier=<system>|<serial>} for each serial; each must find exactly one. */
  Batch search(List<String> serials) throws IOException, InterruptedException {
    long start = System.nanoTime();
    for (String serial : serials) {
      HttpResponse<String> found = send(request("Device?identifier="
          + URLEncoder.encode(CARTRIDGES + "|" + serial, StandardCharsets.UTF_8)).GET(), 200);
      if (!found.body().replace(" ", "").contains("\"total\":1")) {
        throw new IllegalStateException("search for " + serial + " did not find exactly one: " + found.body());
      }
    }
    return new Batch(List.of(), rate(serials.size(), start));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhirBase + path))
        .timeout(Duration.ofSeconds(60)).header("Accept", "application/fhir+json");
    return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  private static double rate(int count, long startNanos) {
    return count / ((System.nanoTime() - startNanos) / 1e9);
  }
}
