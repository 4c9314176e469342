package io.seedtrace.routes.pull;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the pull rule asks the record system (the server's FHIR store): which implants have no
 * verification yet. Implementations must be safe for concurrent use.
 */
public interface ImplantsAwaitingCt {

  /**
   * Implants performed in [{@code from}, {@code to}] without a verification, newest first, at most
   * {@code max}, leaving out those in {@code known} (already in the pull ledger).
   */
  List<AwaitedImplant> unverified(Instant from, Instant to, Set<String> known, int max);

  /** True while the implant still has no verification (a pushed CT may have arrived meanwhile). */
  boolean stillUnverified(String procedure);
}
