package io.seedtrace.server.network;

import io.seedtrace.server.security.Role;
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
 *       every organisation about it in order, and its alerts.</li>
 * </ul>
 */
@RestController
public class AuthorityEndpoints {

  private final ObjectProvider<SourceLedger> ledger;

  public AuthorityEndpoints(ObjectProvider<SourceLedger> ledger) {
    this.ledger = ledger;
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
