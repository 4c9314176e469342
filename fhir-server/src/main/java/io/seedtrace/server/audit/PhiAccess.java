package io.seedtrace.server.audit;

import java.time.Instant;
import java.util.List;

/**
 * One request that disclosed patient data, as captured on the request thread: only strings, so a
 * queued access holds no resource and its memory is small and bounded.
 *
 * @param interaction the FHIR RESTful interaction code ({@code read}, {@code vread},
 *     {@code search-type}, {@code history-instance}, {@code operation}, ...)
 * @param read true for read and vread (BALP Read), false for everything that queries (BALP Query)
 * @param recorded when the answer was sent
 * @param user who asked: the token's subject
 * @param issuer the token's issuer (empty without a token)
 * @param client the OAuth client the token was issued to (its subject for client credentials)
 * @param address the originating network address
 * @param serverBase the FHIR base URL the request was addressed to
 * @param query the request as path and parameters ({@code Observation?subject=Patient/1}); for a
 *     query it is recorded base64-encoded as BALP asks
 * @param data for a read, the resource disclosed ({@code Type/id}); empty for a query (BALP records
 *     the query, not its results)
 * @param patients the patients they belong to ({@code Patient/id}), sorted, each once
 */
public record PhiAccess(String interaction, boolean read, Instant recorded, String user, String issuer,
    String client, String address, String serverBase, String query, List<String> data, List<String> patients) {

  public PhiAccess {
    data = List.copyOf(data);
    patients = List.copyOf(patients);
  }
}
