package io.seedtrace.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.seedtrace.core.audit.AuditChain;
import io.seedtrace.core.audit.AuditEntry;
import io.seedtrace.server.custody.CustodyTables;
import io.seedtrace.server.custody.Provenances;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.locks.ReentrantLock;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail: one AuditEvent per custody step, per client write, per delete of any resource
 * and per Provenance stored, hash-chained. Each event carries, in {@code entity[0].detail}, its
 * sequence number, the previous event's hash and its own hash over the whole event in canonical
 * form ({@link CanonicalResource}: every field, not a selection); an event for a Provenance also
 * carries the hash of that Provenance. The newest sequence and hash are kept outside FHIR
 * ({@code st_audit_head}), so deleting the newest events is detected as well as deleting,
 * altering or reordering any other.
 *
 * <p>Appending is safe on several nodes sharing the database: the head row is locked
 * ({@code SELECT ... FOR UPDATE}) in the transaction that stores the event and moves the head, so
 * two writers never take the same place and a crash leaves either both or neither. When the event
 * belongs to a larger transaction (a delete, a Provenance) it is stored in that one, and the head
 * stays locked until it ends. Within one node, writers queue on a lock held for the same span.
 * {@link AuditVerification} checks the chain.
 */
public final class AuditTrail {

  public static final String STEP_SYSTEM = "https://seedtrace.io/fhir/CodeSystem/custody-step";
  static final String SEQUENCE = "chain-sequence";
  static final String PREVIOUS = "chain-previous";
  static final String HASH = "chain-hash";
  /** What the hash covers: {@link #WHOLE_EVENT}; absent on events hashed by selected fields before. */
  static final String CONTENT = "chain-content";
  static final String WHOLE_EVENT = "resource";
  /** On an event recording a Provenance: the hash of the Provenance's canonical form. */
  static final String RESOURCE_HASH = "resource-hash";
  static final String PROVENANCE_STEP = "provenance";
  static final String DELETE_STEP = "delete";

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
  private final TransactionTemplate transactions;
  private final AuditVerification verification;
  private final ReentrantLock appending = new ReentrantLock();
  private final jakarta.persistence.EntityManager entityManager;

  public AuditTrail(DaoRegistry daos, CustodyTables tables, PlatformTransactionManager transactionManager,
      jakarta.persistence.EntityManager entityManager) {
    this.daos = daos;
    this.entityManager = entityManager;
    this.tables = tables;
    this.transactions = new TransactionTemplate(transactionManager);
    this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
    this.verification = new AuditVerification(daos, tables);
  }

  /**
   * Records a step. {@code entity} is a reference (e.g. {@code Device/12}) or a short name; never
   * put patient-identifying text into {@code description}.
   */
  public AuditEvent record(String actor, String peer, String step, AuditEvent.AuditEventAction action,
      String entity, Outcome outcome, String description) {
    AuditEvent event = event(actor, peer, step, action, outcome, description);
    if (entity.matches("[A-Z][A-Za-z]+/[A-Za-z0-9.-]{1,64}")) {
      event.addEntity().setWhat(new Reference(entity));
    } else {
      event.addEntity().setName(entity);
    }
    return append(event);
  }

  /** Records that a resource ({@code Type/id}) was deleted; called in the transaction that deletes it. */
  public AuditEvent recordDelete(String actor, String peer, String resourceId) {
    AuditEvent event = event(actor, peer, DELETE_STEP, AuditEvent.AuditEventAction.D, Outcome.SUCCESS,
        resourceId + " deleted");
    event.addEntity().setName(resourceId); // by name: a reference to a deleted resource does not resolve
    return append(event);
  }

  /**
   * Records a Provenance with the hash of its content, so that deleting or changing it breaks the
   * chain; called in the transaction that stores it.
   */
  public AuditEvent recordProvenance(String actor, String peer, Provenance provenance) {
    String id = "Provenance/" + provenance.getIdElement().getIdPart();
    AuditEvent event = event(actor, peer, PROVENANCE_STEP, AuditEvent.AuditEventAction.C, Outcome.SUCCESS,
        "provenance stored");
    AuditEvent.AuditEventEntityComponent what = event.addEntity().setWhat(new Reference(id));
    what.addDetail().setType(RESOURCE_HASH).setValue(new StringType(CanonicalResource.sha256(provenance)));
    return append(event);
  }

  /** The result of checking the chain. */
  public record Check(boolean intact, long entries, java.util.Optional<AuditChain.Break> firstBreak) {}

  /** Checks the whole chain, the Provenances it records and its head, as of one moment. */
  public Check verify() {
    return verification.check();
  }

  private static AuditEvent event(String actor, String peer, String step, AuditEvent.AuditEventAction action,
      Outcome outcome, String description) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.addSubtype(new Coding(STEP_SYSTEM, step, null));
    event.setAction(action);
    event.setRecorded(Date.from(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    event.setOutcome(outcome.code);
    event.setOutcomeDesc(description);
    AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
    agent.getWho().setDisplay(actor);
    if (peer != null && !peer.isBlank()) {
      agent.getNetwork().setAddress(peer).setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    event.getSource().setSite("SeedTrace").getObserver().setDisplay("SeedTrace server");
    return event;
  }

  /** Links the event to the head, stores it and moves the head, all in one transaction. */
  private AuditEvent append(AuditEvent event) {
    appendAll(java.util.List.of(event));
    return event;
  }

  /**
   * Appends events to the chain in one transaction, in their order: the head is locked once for all
   * of them and moved past the last, so a batch costs one lock however many events it holds, and
   * commits whole or not at all. Used for the PHI access events, which are recorded in batches.
   * The chain's link is written into each event: after a failure, build the events anew before
   * trying again.
   */
  public void appendAll(java.util.List<AuditEvent> events) {
    appendAll(() -> events, () -> { });
  }

  /**
   * Appends, in one transaction, the events {@code source} gives inside that transaction, then runs
   * {@code appended} in it too: what the events were made from (journal rows claimed by the source)
   * is marked done in the transaction that stores them, so a crash leaves both or neither. When the
   * source gives no events nothing is locked and {@code appended} does not run. Returns how many
   * events were appended.
   */
  public int appendAll(java.util.function.Supplier<java.util.List<AuditEvent>> source, Runnable appended) {
    Integer count = transactions.execute(status -> {
      java.util.List<AuditEvent> events = source.get();
      if (events.isEmpty()) {
        return 0;
      }
      holdUntilTransactionEnds();
      CustodyTables.Head head = tables.lockAuditHead();
      for (AuditEvent event : events) {
        head = link(event, head);
        daos.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
        if (status.isNewTransaction()) {
          // Hibernate checks every entity of the session at each flush: without this, a batch of n
          // events costs n^2. Only in a transaction of our own: a caller's must keep its entities.
          entityManager.flush();
          entityManager.clear();
        }
      }
      tables.moveAuditHead(head);
      appended.run();
      return events.size();
    });
    return count == null ? 0 : count;
  }

  /** Writes the chain details of the entry after {@code head} into the event; returns the new head. */
  private static CustodyTables.Head link(AuditEvent event, CustodyTables.Head head) {
    long sequence = head.sequence() + 1;
    AuditEvent.AuditEventEntityComponent what = event.getEntityFirstRep();
    what.addDetail().setType(SEQUENCE).setValue(new StringType(Long.toString(sequence)));
    what.addDetail().setType(PREVIOUS).setValue(new StringType(head.hash()));
    what.addDetail().setType(CONTENT).setValue(new StringType(WHOLE_EVENT));
    String hash = AuditChain.hash(head.hash(), CanonicalResource.bytes(event));
    what.addDetail().setType(HASH).setValue(new StringType(hash));
    return new CustodyTables.Head(sequence, hash);
  }

  /**
   * Other threads of this node wait here rather than on the database row, until this thread's
   * transaction (which holds the row) ends.
   */
  private void holdUntilTransactionEnds() {
    if (appending.isHeldByCurrentThread()) {
      return;
    }
    appending.lock();
    try {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          appending.unlock();
        }
      });
    } catch (RuntimeException e) {
      appending.unlock();
      throw e;
    }
  }

  /** The chain entry an event holds, and what the hash covers; empty for an event outside the chain. */
  static java.util.Optional<AuditEntry> toEntry(AuditEvent e) {
    AuditEvent.AuditEventEntityComponent what = e.getEntityFirstRep();
    String seq = detail(what, SEQUENCE);
    String prev = detail(what, PREVIOUS);
    String hash = detail(what, HASH);
    if (seq == null || prev == null || hash == null) {
      return java.util.Optional.empty();
    }
    long sequence;
    try {
      sequence = Long.parseLong(seq);
    } catch (NumberFormatException altered) {
      sequence = -1;
    }
    return java.util.Optional.of(new AuditEntry(sequence, content(e, sequence), prev, hash));
  }

  private static byte[] content(AuditEvent e, long sequence) {
    if (WHOLE_EVENT.equals(detail(e.getEntityFirstRep(), CONTENT))) {
      AuditEvent unsigned = e.copy();
      unsigned.getEntityFirstRep().getDetail().removeIf(d -> HASH.equals(d.getType()));
      return CanonicalResource.bytes(unsigned);
    }
    AuditEvent.AuditEventEntityComponent what = e.getEntityFirstRep();
    String entity = what.hasWhat() ? what.getWhat().getReference() : what.getName();
    Outcome outcome = java.util.Arrays.stream(Outcome.values()).filter(o -> o.code == e.getOutcome()).findFirst()
        .orElse(Outcome.FAILED);
    return AuditEntry.fieldContent(sequence, e.getRecorded().toInstant(), nz(e.getAgentFirstRep().getWho()
        .getDisplay()), nz(e.getSubtypeFirstRep().getCode()), nz(entity), outcome.name() + ": "
        + nz(e.getOutcomeDesc()));
  }

  static String detail(AuditEvent.AuditEventEntityComponent what, String type) {
    return what.getDetail().stream().filter(d -> type.equals(d.getType())).findFirst()
        .map(d -> d.getValue().primitiveValue()).orElse(null);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
