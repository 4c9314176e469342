package io.seedtrace.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.seedtrace.core.audit.AuditChain;
import io.seedtrace.core.audit.AuditEntry;
import io.seedtrace.server.custody.CustodyTables;
import io.seedtrace.server.custody.Provenances;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Provenance;

/**
 * Checks the audit trail ({@code $verify-audit-chain}) while writers on any node go on appending,
 * without stopping them:
 * <ol>
 *   <li>every chained AuditEvent links to the one before and its hash covers its content;</li>
 *   <li>the newest entry is the recorded head (nothing was cut off the end);</li>
 *   <li>no AuditEvent sits outside the chain (only the audit trail writes AuditEvents);</li>
 *   <li>every Provenance the chain recorded is still there, unchanged, and every Provenance stored
 *       since the chain began recording them is in it.</li>
 * </ol>
 * The first problem found is reported with the sequence number of the entry concerned (0 when no
 * entry is). What was appended while the check ran is left for the next one: the head is read
 * first and only entries up to it are checked (an entry commits with the head that covers it);
 * Provenances are read before the AuditEvents, so each one read has its entry among them.
 */
final class AuditVerification {

  /** A Provenance as the chain recorded it. */
  private record RecordedProvenance(String id, String hash, long sequence, Instant recorded) {}

  private final DaoRegistry daos;
  private final CustodyTables tables;

  AuditVerification(DaoRegistry daos, CustodyTables tables) {
    this.daos = daos;
    this.tables = tables;
  }

  AuditTrail.Check check() {
    Optional<CustodyTables.Head> head = tables.auditHead();
    long upTo = head.map(CustodyTables.Head::sequence).orElse(Long.MAX_VALUE);
    Map<String, Provenance> stored = new HashMap<>();
    for (Provenance p : all(Provenance.class)) {
      stored.put("Provenance/" + p.getIdElement().getIdPart(), p);
    }
    List<AuditEntry> entries = new ArrayList<>();
    List<String> unchained = new ArrayList<>();
    List<RecordedProvenance> provenances = new ArrayList<>();
    for (AuditEvent event : all(AuditEvent.class)) {
      Optional<AuditEntry> entry = AuditTrail.toEntry(event);
      if (entry.isEmpty()) {
        unchained.add("AuditEvent/" + event.getIdElement().getIdPart());
        continue;
      }
      recordedProvenance(event, entry.get().sequence()).ifPresent(provenances::add);
      if (entry.get().sequence() <= upTo) {
        entries.add(entry.get());
      }
    }
    entries.sort(Comparator.comparingLong(AuditEntry::sequence));
    Optional<AuditChain.Break> broken = AuditChain.verify(entries)
        .or(() -> headBreak(entries, head))
        .or(() -> unchained.stream().findFirst().map(id -> new AuditChain.Break(0, id
            + " carries no chain link: it was not written by the audit trail")))
        .or(() -> provenanceBreak(provenances, stored, upTo));
    return new AuditTrail.Check(broken.isEmpty(), entries.size(), broken);
  }

  private static Optional<AuditChain.Break> headBreak(List<AuditEntry> entries, Optional<CustodyTables.Head> head) {
    long lastSeq = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).sequence();
    String lastHash = entries.isEmpty() ? AuditChain.GENESIS : entries.get(entries.size() - 1).hash();
    if (head.isEmpty()) {
      return Optional.empty();
    }
    if (head.get().sequence() > lastSeq) {
      return Optional.of(new AuditChain.Break(lastSeq + 1, "entries " + (lastSeq + 1) + " to "
          + head.get().sequence() + " are missing (the chain's head is " + head.get().sequence() + ")"));
    }
    if (head.get().sequence() < lastSeq) {
      return Optional.of(new AuditChain.Break(head.get().sequence() + 1, "entries after the chain's head ("
          + head.get().sequence() + ") were not written by the audit trail"));
    }
    if (!head.get().hash().equals(lastHash)) {
      return Optional.of(new AuditChain.Break(lastSeq, "the newest entry differs from the recorded head"));
    }
    return Optional.empty();
  }

  private static Optional<RecordedProvenance> recordedProvenance(AuditEvent event, long sequence) {
    AuditEvent.AuditEventEntityComponent what = event.getEntityFirstRep();
    String hash = AuditTrail.detail(what, AuditTrail.RESOURCE_HASH);
    if (!AuditTrail.PROVENANCE_STEP.equals(event.getSubtypeFirstRep().getCode()) || hash == null
        || !what.hasWhat()) {
      return Optional.empty();
    }
    return Optional.of(new RecordedProvenance(what.getWhat().getReference(), hash, sequence,
        event.getRecorded().toInstant()));
  }

  /** Provenances recorded up to the head must be there unchanged; every one there must be recorded. */
  private static Optional<AuditChain.Break> provenanceBreak(List<RecordedProvenance> recorded,
      Map<String, Provenance> stored, long upTo) {
    recorded.sort(Comparator.comparingLong(RecordedProvenance::sequence));
    for (RecordedProvenance r : recorded) {
      Provenance now = stored.remove(r.id());
      if (r.sequence() > upTo) {
        continue; // appended after the check began: the Provenance may have been stored after it was read
      }
      if (now == null) {
        return Optional.of(new AuditChain.Break(r.sequence(), r.id() + ", recorded in entry " + r.sequence()
            + ", was deleted"));
      }
      if (!CanonicalResource.sha256(now).equals(r.hash())) {
        return Optional.of(new AuditChain.Break(r.sequence(), r.id() + ", recorded in entry " + r.sequence()
            + ", was altered"));
      }
    }
    // Provenances stored before the chain recorded them (an older version of SeedTrace) are not in it
    Optional<Instant> since = recorded.stream().map(RecordedProvenance::recorded).min(Comparator.naturalOrder());
    return stored.entrySet().stream()
        .filter(e -> since.isPresent() && !e.getValue().getMeta().getLastUpdated().toInstant().isBefore(since.get()))
        .map(Map.Entry::getKey).sorted().findFirst()
        .map(id -> new AuditChain.Break(0, id + " is not in the audit chain: it was not stored through the server"));
  }

  @SuppressWarnings("unchecked")
  private <T extends IBaseResource> List<T> all(Class<T> type) {
    SearchParameterMap map = new SearchParameterMap();
    map.setLoadSynchronous(true);
    // without it a synchronous search stops at HAPI's internal limit (10,000): a longer chain would
    // look broken ("entries 10001 to ... are missing"); the whole chain is read (memory grows with it)
    map.setLoadSynchronousUpTo(Integer.MAX_VALUE);
    return (List<T>) (List<?>) daos.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources();
  }
}
