package io.seedtrace.server.support;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * A second FHIR server in the test, acting as the hospital EHR: it accepts transaction bundles at
 * its base URL over real HTTP, honours conditional creates ({@code ifNoneExist=identifier=...}) and
 * conditional FHIRPath patches that replace a primitive and conditional JSON Patches (applied by
 * HAPI's own JsonPatchUtils) ({@code PATCH Type?identifier=...}; 404 when nothing matches),
 * requires the configured bearer token, and keeps what it received in arrival order. It can be
 * switched "down" (HTTP 503) to play an outage, and made slow (each answer after a delay) to play an
 * EHR that takes longer than its clients wait. Every POST is kept as an {@link Attempt}, with the
 * bundle's id and the {@code Idempotency-Key} it came with, whatever the answer.
 */
public final class FakeEhr implements AutoCloseable {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final HttpServer server;
  private final String token;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger refusedWhileDown = new AtomicInteger();
  private final Map<String, Resource> byIdentifier = new HashMap<>();
  private final List<Resource> created = new ArrayList<>();
  private final Map<Resource, Long> arrivedAt = new java.util.IdentityHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final List<Attempt> attempts = new ArrayList<>();
  private final List<String> patches = new ArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-ehr");
    t.setDaemon(true);
    return t;
  });
  private volatile Duration delay = Duration.ZERO;

  /** One POST as it arrived: the bundle's id, its Idempotency-Key header, when ({@link System#nanoTime()}). */
  public record Attempt(String bundleId, String idempotencyKey, long arrivedAt) {}

  public FakeEhr(String token) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fhir", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  /**
   * A transaction bundle as the outbox sends one, identified as message {@code key}: one Flag,
   * created conditionally on its identifier.
   */
  public static String bundle(String key) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.setId(key);
    org.hl7.fhir.r4.model.Flag flag = new org.hl7.fhir.r4.model.Flag();
    flag.addIdentifier().setSystem("urn:test").setValue(key);
    flag.setStatus(org.hl7.fhir.r4.model.Flag.FlagStatus.ACTIVE);
    flag.getCode().setText("test");
    flag.getSubject().setDisplay("someone");
    tx.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(flag).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl("Flag").setIfNoneExist("identifier=urn:test|" + key);
    return FHIR.newJsonParser().encodeResourceToString(tx);
  }

  /** Every answer comes this much later (the bundle is stored before the wait, as by a slow EHR). */
  public void setDelay(Duration delay) {
    this.delay = delay;
  }

  /** Every POST received, in arrival order. */
  public synchronized List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  public void setDown(boolean isDown) {
    down.set(isDown);
  }

  public int refusedWhileDown() {
    return refusedWhileDown.get();
  }

  /** Every resource created, in the order they arrived. */
  public synchronized List<Resource> created() {
    return List.copyOf(created);
  }

  /** Every patch applied, in order, as {@code <conditional URL> <path>=<value>}. */
  public synchronized List<String> patches() {
    return List.copyOf(patches);
  }

  /** When a resource arrived ({@link System#nanoTime()}). */
  public synchronized long arrivedAt(Resource r) {
    return arrivedAt.get(r);
  }

  @SuppressWarnings("unchecked")
  public synchronized <T extends Resource> List<T> created(Class<T> type) {
    return (List<T>) created.stream().filter(type::isInstance).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long received = System.nanoTime();
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (exchange.getRequestMethod().equals("POST")) {
        arrived(body, exchange.getRequestHeaders().getFirst("Idempotency-Key"), received);
      }
      if (down.get()) {
        refusedWhileDown.incrementAndGet();
        respond(exchange, 503, "{\"resourceType\":\"OperationOutcome\"}");
        return;
      }
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{\"resourceType\":\"OperationOutcome\"}");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, "{}");
        return;
      }
      Bundle tx;
      try {
        tx = FHIR.newJsonParser().parseResource(Bundle.class, body);
      } catch (RuntimeException bad) {
        respond(exchange, 400, "{\"resourceType\":\"OperationOutcome\"}");
        return;
      }
      Bundle applied;
      try {
        applied = apply(tx);
      } catch (NoMatch absent) {
        respond(exchange, 404, "{\"resourceType\":\"OperationOutcome\"}");
        return;
      } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException refused) {
        respond(exchange, refused.getStatusCode(), "{\"resourceType\":\"OperationOutcome\"}");
        return;
      }
      String response = FHIR.newJsonParser().encodeResourceToString(applied);
      slowly();
      respond(exchange, 200, response);
    }
  }

  private synchronized void arrived(String body, String idempotencyKey, long received) {
    String bundleId = null;
    try {
      bundleId = FHIR.newJsonParser().parseResource(Bundle.class, body).getIdElement().getIdPart();
    } catch (RuntimeException notABundle) {
      // kept without an id
    }
    attempts.add(new Attempt(bundleId, idempotencyKey, received));
  }

  private void slowly() {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Bundle apply(Bundle tx) {
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    Map<String, String> resolved = new HashMap<>();
    List<Resource> createdNow = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : tx.getEntry()) {
      Resource r = e.getResource();
      if (e.getRequest().getMethod() == Bundle.HTTPVerb.PATCH) {
        response.addEntry().getResponse().setStatus("200 OK").setLocation(r instanceof org.hl7.fhir.r4.model.Binary b
            ? jsonPatch(e.getRequest().getUrl(), b) : patch(e.getRequest().getUrl(), (org.hl7.fhir.r4.model.Parameters) r));
        continue;
      }
      String key = null;
      String cond = e.getRequest().getIfNoneExist();
      if (cond != null && cond.startsWith("identifier=")) {
        key = r.fhirType() + "?" + cond.substring("identifier=".length());
      }
      Resource existing = key == null ? null : byIdentifier.get(key);
      String location;
      if (existing != null) {
        location = existing.fhirType() + "/" + existing.getIdElement().getIdPart();
        response.addEntry().getResponse().setStatus("200 OK").setLocation(location);
      } else {
        r.setId(r.fhirType() + "/" + nextId.getAndIncrement());
        location = r.getIdElement().getValue();
        created.add(r);
        arrivedAt.put(r, System.nanoTime());
        createdNow.add(r);
        if (key != null) {
          byIdentifier.put(key, r);
        }
        response.addEntry().getResponse().setStatus("201 Created").setLocation(location);
      }
      resolved.put(e.getFullUrl(), location);
    }
    // like a FHIR server: references to entries of the bundle point to what was created or found
    for (Resource r : createdNow) {
      for (org.hl7.fhir.r4.model.Reference ref : FHIR.newTerser().getAllPopulatedChildElementsOfType(r,
          org.hl7.fhir.r4.model.Reference.class)) {
        String target = resolved.get(ref.getReference());
        if (target != null) {
          ref.setReference(target);
        }
      }
    }
    return response;
  }

  /** Applies "replace" operations on primitives to the resource the conditional URL names. */
  private String patch(String conditionalUrl, org.hl7.fhir.r4.model.Parameters operations) {
    String type = conditionalUrl.substring(0, conditionalUrl.indexOf('?'));
    Resource target = byIdentifier.get(type + "?" + conditionalUrl.substring(conditionalUrl.indexOf("identifier=")
        + "identifier=".length()));
    if (target == null) {
      throw new NoMatch();
    }
    for (org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent op : operations.getParameter()) {
      String path = op.getPart().stream().filter(p -> p.getName().equals("path")).findFirst().orElseThrow()
          .getValue().primitiveValue();
      String value = op.getPart().stream().filter(p -> p.getName().equals("value")).findFirst().orElseThrow()
          .getValue().primitiveValue();
      FHIR.newTerser().getSingleValueOrNull(target, path.substring(type.length() + 1),
          org.hl7.fhir.instance.model.api.IPrimitiveType.class).setValueAsString(value);
      patches.add(conditionalUrl + " " + path + "=" + value);
    }
    return type + "/" + target.getIdElement().getIdPart();
  }

  /**
   * Applies a JSON Patch (a Binary of {@code application/json-patch+json}) with HAPI's own
   * {@code JsonPatchUtils}, as a HAPI-based EHR does, to the resource the conditional URL names; the
   * patched resource takes the old one's place. Kept as {@code <url> json-patch <ops>}.
   */
  private String jsonPatch(String conditionalUrl, org.hl7.fhir.r4.model.Binary body) {
    String type = conditionalUrl.substring(0, conditionalUrl.indexOf('?'));
    String key = type + "?" + conditionalUrl.substring(conditionalUrl.indexOf("identifier=") + "identifier=".length());
    Resource target = byIdentifier.get(key);
    if (target == null || !"application/json-patch+json".equals(body.getContentType())) {
      throw new NoMatch();
    }
    String ops = new String(body.getData(), java.nio.charset.StandardCharsets.UTF_8);
    Resource patched = ca.uhn.fhir.jpa.patch.JsonPatchUtils.apply(FHIR, target, ops);
    patched.setId(target.getIdElement());
    byIdentifier.put(key, patched);
    created.set(created.indexOf(target), patched);
    arrivedAt.put(patched, arrivedAt.get(target));
    patches.add(conditionalUrl + " json-patch " + ops.length() + " characters");
    return type + "/" + target.getIdElement().getIdPart();
  }

  /** A conditional patch matched nothing. */
  private static final class NoMatch extends RuntimeException {}

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }


  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
