package io.seedtrace.server.network;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.seedtrace.server.bulk.ExportJob;
import io.seedtrace.server.bulk.ExportRequest;
import io.seedtrace.server.bulk.ExportWorker;
import io.seedtrace.server.security.Role;
import io.seedtrace.server.security.smart.SmartEndpoints;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The authority's queries over its source ledger (authority node only; admin or auditor token):
 * <ul>
 *   <li>{@code GET /authority/alerts[?status=open|all][&_count=n]}: discrepancies, newest first;</li>
 *   <li>{@code GET /authority/licensees/{organisation id}/sources}: the cartridges a hospital holds
 *       or held, with every count reported;</li>
 *   <li>{@code GET /authority/cartridges/{serial}}: one cartridge's ledger row, every report of
 *       every organisation about it in order, and its alerts;</li>
 *   <li>{@code GET /authority/$export}: the whole ledger as NDJSON for analytics, asynchronously
 *       (Bulk Data kick-off, poll, download; admin token only).</li>
 * </ul>
 */
@RestController
public class AuthorityEndpoints {

  private final ObjectProvider<SourceLedger> ledger;
  private final ObjectProvider<LedgerExport> rows;
  private final ExportWorker exports;
  private final SmartEndpoints addresses;

  public AuthorityEndpoints(ObjectProvider<SourceLedger> ledger, ObjectProvider<LedgerExport> rows,
      ExportWorker exports, SmartEndpoints addresses) {
    this.ledger = ledger;
    this.rows = rows;
    this.exports = exports;
    this.addresses = addresses;
  }

  /**
   * Kicks off a Bulk Data export of the whole ledger (administrators only): {@code Prefer:
   * respond-async}, optional {@code _type} (of {@link LedgerExport#types()}) and {@code _since}; 202
   * with {@code Content-Location} naming the FHIR endpoint's {@code $export-poll-status}, where it is
   * polled and its files downloaded as any {@code $export} ({@link io.seedtrace.server.bulk.BulkExportOperations}).
   */
  @GetMapping(path = "/authority/$export")
  public ResponseEntity<?> export(HttpServletRequest request, Authentication caller) {
    LedgerExport source = rows.getIfAvailable();
    if (source == null) {
      return refuse(404, "this node is not an authority node; it keeps no source ledger");
    }
    if (!NetworkEndpoints.has(caller, Role.ADMIN)) {
      return refuse(403, "exporting the authority's ledger needs the admin role");
    }
    Set<String> types = Set.copyOf(source.types());
    ExportRequest checked;
    try {
      checked = ExportRequest.check(ExportJob.Level.LEDGER, parameters(request), request.getHeader("Prefer"),
          new ExportRequest.Types(types, types, type -> true), types);
    } catch (BaseServerResponseException e) {
      return refuse(e.getStatusCode(), e.getMessage());
    }
    String origin = addresses.origin(request);
    String query = request.getQueryString();
    Instant now = Instant.now();
    ExportJob job = new ExportJob(UUID.randomUUID().toString(), caller.getName(),
        origin + "/authority/$export" + (query == null ? "" : "?" + query), ExportJob.Level.LEDGER, null,
        checked.types(), checked.since(), now, true, ExportJob.Status.ACCEPTED, "waiting", now, null, null);
    if (!exports.submit(job)) {
      ResponseEntity<String> busy = NetworkEndpoints.fhir(429, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR,
          429, "earlier exports of yours are still waiting or running; try again later"));
      return ResponseEntity.status(429).headers(busy.getHeaders()).header("Retry-After", "10").body(busy.getBody());
    }
    return ResponseEntity.accepted()
        .header("Content-Location", origin + "/fhir/$export-poll-status?_jobId=" + job.id()).build();
  }

  private static Map<String, List<String>> parameters(HttpServletRequest request) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
    return parameters;
  }

  @GetMapping(path = "/authority/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> alerts(@RequestParam(name = "status", defaultValue = "open") String status,
      @RequestParam(name = "_count", defaultValue = "100") int count, Authentication caller) {
    return answer(caller, l -> Map.of("alerts", l.alerts(!"all".equals(status), limit(count))));
  }

  @GetMapping(path = "/authority/licensees/{organization}/sources", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> sources(@PathVariable("organization") String organization,
      @RequestParam(name = "_count", defaultValue = "100") int count, Authentication caller) {
    return answer(caller, l -> Map.of("licensee", organization, "sources", l.sourcesOf(organization, limit(count))));
  }

  @GetMapping(path = "/authority/cartridges/{serial}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> cartridge(@PathVariable("serial") String serial, Authentication caller) {
    return answer(caller, l -> l.cartridge(serial).<Object>map(c -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("cartridge", c);
      body.put("history", l.history(serial));
      body.put("alerts", l.alertsOf(serial));
      return body;
    }).orElse(null));
  }

  private ResponseEntity<?> answer(Authentication caller, java.util.function.Function<SourceLedger, Object> query) {
    SourceLedger l = ledger.getIfAvailable();
    if (l == null) {
      return refuse(404, "this node is not an authority node; it keeps no source ledger");
    }
    if (!NetworkEndpoints.has(caller, Role.ADMIN, Role.AUDITOR)) {
      return refuse(403, "the authority's ledger needs the admin or auditor role");
    }
    Object body = query.apply(l);
    return body == null ? refuse(404, "no such cartridge in the ledger") : ResponseEntity.ok(body);
  }

  private static ResponseEntity<?> refuse(int status, String why) {
    return NetworkEndpoints.fhir(status, NetworkInbox.outcome(OperationOutcome.IssueSeverity.ERROR, status, why));
  }

  private static int limit(int count) {
    return Math.min(Math.max(count, 1), 1000);
  }
}
