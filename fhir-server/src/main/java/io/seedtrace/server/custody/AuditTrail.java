package io.seedtrace.server.custody;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.seedtrace.core.audit.AuditChain;
import io.seedtrace.core.audit.AuditEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * The audit trail: one AuditEvent per custody step (and per client write), hash-chained. Each
 * event carries, in {@code entity[0].detail}, its sequence number, the previous event's hash and
 * its own hash over (sequence, time, actor, action, entity, outcome); the newest sequence and hash
 * are also kept outside FHIR ({@code st_audit_head}), so deleting the newest events is detected
 * as well as deleting, altering or reordering any other.
 */
public final class AuditTrail {

  public static final String STEP_SYSTEM = "https://seedtrace.io/fhir/CodeSystem/custody-step";
  static final String SEQUENCE = "chain-sequence";
  static final String PREVIOUS = "chain-previous";
  static final String HASH = "chain-hash";

  /** How a step ended. */
  public enum Outcome {
    SUCCESS(AuditEvent.AuditEventOutcome._0), REFUSED(AuditEvent.AuditEventOutcome._4),
    FAILED(AuditEvent.AuditEventOutcome._8);

    final AuditEvent.AuditEventOutcome code;

    Outcome(AuditEvent.AuditEventOutcome code) {
      this.code = code;
    }
  }

  private final DaoRegistry daos;
  private final CustodyTables tables;

  public AuditTrail(DaoRegistry daos, CustodyTables tables) {
    this.daos = daos;
    this.tables = tables;
  }

  /**
   * Records a step. {@code entity} is a reference (e.g. {@code Device/12}) or a short name; never
   * put patient-identifying text into {@code description}.
   */
  public synchronized AuditEvent record(String actor, String peer, String step, AuditEvent.AuditEventAction action,
      String entity, Outcome outcome, String description) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Optional<AuditEntry> last = tables.auditHead().map(h -> new AuditEntry(h.sequence(), now, "", "", "", "", "", h.hash()));
    AuditEntry entry = AuditChain.next(last, now, actor, step, entity, outcomeText(outcome, description));
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.addSubtype(new Coding(STEP_SYSTEM, step, null));
    event.setAction(action);
    event.setRecorded(Date.from(now));
    event.setOutcome(outcome.code);
    event.setOutcomeDesc(description);
    AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
    agent.getWho().setDisplay(actor);
    if (peer != null && !peer.isBlank()) {
      agent.getNetwork().setAddress(peer).setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    event.getSource().setSite("SeedTrace").getObserver().setDisplay("SeedTrace server");
    AuditEvent.AuditEventEntityComponent what = event.addEntity();
    if (entity.matches("[A-Z][A-Za-z]+/[A-Za-z0-9.-]{1,64}")) {
      what.setWhat(new Reference(entity));
    } else {
      what.setName(entity);
    }
    what.addDetail().setType(SEQUENCE).setValue(new org.hl7.fhir.r4.model.StringType(Long.toString(entry.sequence())));
    what.addDetail().setType(PREVIOUS).setValue(new org.hl7.fhir.r4.model.StringType(entry.previousHash()));
    what.addDetail().setType(HASH).setValue(new org.hl7.fhir.r4.model.StringType(entry.hash()));
    daos.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
    tables.setAuditHead(new CustodyTables.Head(entry.sequence(), entry.hash()));
    return event;
  }

  private static String outcomeText(Outcome outcome, String description) {
    return outcome.name() + ": " + (description == null ? "" : description);
  }

  /** The result of checking the chain. */
  public record Check(boolean intact, long entries, Optional<AuditChain.Break> firstBreak) {}

  /** Reads every chained AuditEvent and checks the links and the head. */
  public synchronized Check verify() {
    ca.uhn.fhir.jpa.searchparam.SearchParameterMap map = new ca.uhn.fhir.jpa.searchparam.SearchParameterMap();
    map.setLoadSynchronous(true);
    List<AuditEntry> entries = new ArrayList<>();
    for (Object o : daos.getResourceDao(AuditEvent.class).search(map, new SystemRequestDetails()).getAllResources()) {
      AuditEvent e = (AuditEvent) o;
      toEntry(e).ifPresent(entries::add);
    }
    entries.sort(Comparator.comparingLong(AuditEntry::sequence));
    Optional<AuditChain.Break> broken = AuditChain.verify(entries);
    if (broken.isEmpty()) {
      Optional<CustodyTables.Head> head = tables.auditHead();
      long lastSeq = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).sequence();
      String lastHash = entries.isEmpty() ? AuditChain.GENESIS : entries.get(entries.size() - 1).hash();
      if (head.isPresent() && head.get().sequence() != lastSeq) {
        broken = Optional.of(new AuditChain.Break(lastSeq + 1, "entries " + (lastSeq + 1) + " to "
            + head.get().sequence() + " are missing (the chain's head is " + head.get().sequence() + ")"));
      } else if (head.isPresent() && !head.get().hash().equals(lastHash)) {
        broken = Optional.of(new AuditChain.Break(lastSeq, "the newest entry differs from the recorded head"));
      }
    }
    return new Check(broken.isEmpty(), entries.size(), broken);
  }

  static Optional<AuditEntry> toEntry(AuditEvent e) {
    if (!e.hasEntity()) {
      return Optional.empty();
    }
    AuditEvent.AuditEventEntityComponent what = e.getEntityFirstRep();
    String seq = detail(what, SEQUENCE);
    String prev = detail(what, PREVIOUS);
    String hash = detail(what, HASH);
    if (seq == null || prev == null || hash == null) {
      return Optional.empty();
    }
    String entity = what.hasWhat() ? what.getWhat().getReference() : what.getName();
    String step = e.getSubtypeFirstRep().getCode();
    Outcome outcome = java.util.Arrays.stream(Outcome.values()).filter(o -> o.code == e.getOutcome()).findFirst()
        .orElse(Outcome.FAILED);
    String actor = e.getAgentFirstRep().getWho().getDisplay();
    long sequence;
    try {
      sequence = Long.parseLong(seq);
    } catch (NumberFormatException altered) {
      sequence = -1;
    }
    return Optional.of(new AuditEntry(sequence, e.getRecorded().toInstant(), nz(actor), nz(step), nz(entity),
        outcomeText(outcome, e.getOutcomeDesc()), prev, hash));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String detail(AuditEvent.AuditEventEntityComponent what, String type) {
    return what.getDetail().stream().filter(d -> type.equals(d.getType())).findFirst()
        .map(d -> d.getValue().primitiveValue()).orElse(null);
  }
}
