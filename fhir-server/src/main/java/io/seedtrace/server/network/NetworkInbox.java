package io.seedtrace.server.network;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.database.SchemaStatements;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Receives custody messages from other organisations' nodes ({@code st_network_inbox}). A message
 * is believed only after these checks, in this order: it is a custody message (400), its sender is
 * a configured peer that is not revoked (403), the sender's role may send its event (403), it is
 * addressed to this node's organisation (422), its signature verifies with a key of the sender's
 * JWKS (401), and its timestamp is at most 5 minutes ahead of this node's clock and not older than
 * an outbox retries ({@link MessageClock}; 422). A message id seen before is not applied again:
 * with the same content the answer is 200 "duplicate", with other content 409. Every accepted and
 * every refused message leaves an AuditEvent in the audit chain (step {@code network-receive}); an
 * unknown sender and a bad signature are also told to the administrator (on an authority node, the
 * unknown sender as one open ledger alert per sender).
 */
public final class NetworkInbox {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetworkInbox.class);

  /** The answer to the sender: an HTTP status and the OperationOutcome that explains it. */
  public record Answer(int status, OperationOutcome outcome) {}

  /** One received message. */
  public record Received(String messageId, String senderId, String event, String focusKey, String appliedAs,
      Instant receivedAt) {}

  private final JdbcTemplate jdbc;
  private final NodeProperties node;
  private final PeerKeys keys;
  private final MessageApplication application;
  private final AuditTrail audit;
  private final AdminChannel admin;
  private final SourceLedger ledger;
  private final Clock clock;

  /** @param ledger the authority's ledger, which alerts on unknown senders; null on other nodes */
  public NetworkInbox(DataSource dataSource, NodeProperties node, PeerKeys keys, MessageApplication application,
      AuditTrail audit, AdminChannel admin, SourceLedger ledger, Clock clock) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.node = node;
    this.keys = keys;
    this.application = application;
    this.audit = audit;
    this.admin = admin;
    this.ledger = ledger;
    this.clock = clock;
    SchemaStatements.run(jdbc, "CREATE TABLE IF NOT EXISTS st_network_inbox (message_id VARCHAR(100) PRIMARY KEY,"
        + " sender_id VARCHAR(100) NOT NULL, event VARCHAR(64) NOT NULL, focus_key VARCHAR(200),"
        + " digest VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL, applied_as VARCHAR(200),"
        + " received_at TIMESTAMP NOT NULL, payload VARCHAR(4000000) NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_network_inbox_by_focus ON st_network_inbox (event, focus_key)");
  }

  /** Checks, records and applies one message as received over HTTP. */
  public Answer receive(String body) {
    String sender = "unknown";
    try {
      Bundle bundle = parse(body);
      CustodyMessages.Header header = CustodyMessages.read(bundle);
      sender = header.senderId();
      NodeProperties.Peer peer = trustedSender(header);
      Optional<String> bad = MessageSignature.verify(bundle, kid -> keys.find(peer, kid));
      if (bad.isPresent()) {
        admin.tell("network-message-refused", "A custody message claiming to come from " + sender
            + " did not verify: " + bad.get(), null);
        throw new RefusedMessage(401, bad.get());
      }
      MessageClock.check(bundle.getTimestamp(), clock.instant(), node.delivery().giveUpAfter());
      return store(header, MessageSignature.canonical(bundle), body);
    } catch (RefusedMessage refused) {
      audit.record("node:" + sender, "", "network-receive", AuditEvent.AuditEventAction.C, "custody message",
          AuditTrail.Outcome.REFUSED, "refused (" + refused.status() + "): " + refused.getMessage());
      return new Answer(refused.status(), outcome(OperationOutcome.IssueSeverity.ERROR, refused.status(),
          refused.getMessage()));
    } catch (RuntimeException failed) {
      // not the message's fault: 500, so that the sender tries again later
      LOG.error("custody message from {} could not be applied", sender, failed);
      return new Answer(500, outcome(OperationOutcome.IssueSeverity.ERROR, 500, "the message could not be applied"
          + " here (" + failed.getClass().getSimpleName() + "); it was not recorded, send it again later"));
    }
  }

  private static Bundle parse(String body) {
    try {
      return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, body);
    } catch (DataFormatException | ClassCastException e) {
      throw new RefusedMessage(400, "the body is not a FHIR Bundle in JSON: " + e.getMessage());
    }
  }

  private NodeProperties.Peer trustedSender(CustodyMessages.Header header) {
    NodeProperties.Peer peer = node.peers().get(header.senderId());
    if (peer == null) {
      if (ledger != null) {
        ledger.unknownSender(header.senderId(), header.event().code());
      } else {
        admin.tell("network-message-refused", "A custody message came from an unknown node: " + header.senderId(), null);
      }
      throw new RefusedMessage(403, "sender " + header.senderId() + " is not a trusted peer of this node");
    }
    if (peer.revoked()) {
      throw new RefusedMessage(403, "sender " + header.senderId() + " has been revoked by this node");
    }
    if (!peer.role().sends(header.event())) {
      throw new RefusedMessage(403, "a " + peer.role().configName() + " node may not send " + header.event().code());
    }
    if (!node.organization().id().equals(header.receiverId())) {
      throw new RefusedMessage(422, "the message is addressed to " + header.receiverId() + ", this node is "
          + node.organization().id());
    }
    if (!header.event().goesTo(node.role())) {
      throw new RefusedMessage(422, header.event().code() + " goes to a " + header.event().receivers()
          + " node; this node is a " + node.role().configName());
    }
    return peer;
  }

  /** Records the message under its id, applies it, and answers; a known id is not applied again. */
  private Answer store(CustodyMessages.Header header, byte[] canonical, String body) {
    String digest = sha256(canonical);
    Optional<Answer> seen = seenBefore(header.messageId(), digest);
    if (seen.isPresent()) {
      return seen.get();
    }
    MessageApplication.Applied applied;
    try {
      applied = recordAndApply(header, digest, body);
    } catch (DuplicateKeyException meanwhile) {
      return seenBefore(header.messageId(), digest).orElseThrow();
    }
    audit.record("node:" + header.senderId(), "", "network-receive", AuditEvent.AuditEventAction.C,
        applied.appliedAs() == null ? "custody message" : applied.appliedAs(), AuditTrail.Outcome.SUCCESS,
        header.event().code() + " message " + header.messageId() + " from " + header.senderId() + " accepted");
    return new Answer(200, outcome(OperationOutcome.IssueSeverity.INFORMATION, 200, header.event().code()
        + " message " + header.messageId() + " accepted" + (applied.appliedAs() == null ? "" : " as "
        + applied.appliedAs())));
  }

  /**
   * What happens to a message once it is verified and new: recorded, applied, marked applied (the
   * authority's ledger benchmark feeds messages here).
   *
   * @throws DuplicateKeyException when another node recorded the same message id meanwhile
   */
  MessageApplication.Applied recordAndApply(CustodyMessages.Header header, String digest, String body) {
    return ledger != null && header.event().goesTo(NodeRole.AUTHORITY)
        ? ledger.inTransaction(() -> record(header, digest, body)) : record(header, digest, body);
  }

  /**
   * Records the message as applying, applies it and marks it applied. A report to the authority's
   * ledger runs in one transaction with the ledger's own statements, so the inbox row and the
   * ledger change commit together; other messages apply through the FHIR storage's transactions,
   * and their inbox row is removed again when applying fails.
   */
  private MessageApplication.Applied record(CustodyMessages.Header header, String digest, String body) {
    jdbc.update("INSERT INTO st_network_inbox (message_id, sender_id, event, digest, status, received_at, payload)"
        + " VALUES (?, ?, ?, ?, 'APPLYING', ?, ?)", header.messageId(), header.senderId(), header.event().code(),
        digest, Timestamp.from(clock.instant()), body);
    MessageApplication.Applied applied;
    try {
      applied = application.apply(header);
    } catch (RuntimeException e) {
      if (!org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
        jdbc.update("DELETE FROM st_network_inbox WHERE message_id = ? AND status = 'APPLYING'", header.messageId());
      }
      throw e;
    }
    jdbc.update("UPDATE st_network_inbox SET status = 'APPLIED', focus_key = ?, applied_as = ? WHERE message_id = ?",
        applied.focusKey(), applied.appliedAs(), header.messageId());
    return applied;
  }

  private Optional<Answer> seenBefore(String messageId, String digest) {
    List<String> known = jdbc.queryForList("SELECT digest FROM st_network_inbox WHERE message_id = ?", String.class,
        messageId);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    if (!known.get(0).equals(digest)) {
      throw new RefusedMessage(409, "message id " + messageId + " was received before with other content");
    }
    OperationOutcome duplicate = outcome(OperationOutcome.IssueSeverity.INFORMATION, 200, "message " + messageId
        + " was received before; not applied again");
    duplicate.getIssueFirstRep().setCode(OperationOutcome.IssueType.DUPLICATE);
    return Optional.of(new Answer(200, duplicate));
  }

  /** Received messages, newest first; of one event when {@code event} is not null. */
  public List<Received> received(String event, int limit) {
    String where = event == null ? "" : " WHERE event = ?";
    Object[] args = event == null ? new Object[0] : new Object[] {event};
    return jdbc.query("SELECT message_id, sender_id, event, focus_key, applied_as, received_at FROM st_network_inbox"
        + where + " ORDER BY received_at DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
        (rs, i) -> new Received(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getTimestamp(6).toInstant()), args);
  }

  /** The sender of the received message of {@code event} about {@code focusKey}, if any. */
  public Optional<String> senderOf(CustodyEvent event, String focusKey) {
    return jdbc.queryForList("SELECT sender_id FROM st_network_inbox WHERE event = ? AND focus_key = ?"
        + " AND status = 'APPLIED'", String.class, event.code(), focusKey).stream().findFirst();
  }

  /** The focus of the applied message of {@code event} about {@code focusKey}, as its sender signed it. */
  public Optional<List<org.hl7.fhir.r4.model.Resource>> focusOf(CustodyEvent event, String focusKey) {
    return jdbc.queryForList("SELECT payload FROM st_network_inbox WHERE event = ? AND focus_key = ?"
        + " AND status = 'APPLIED' ORDER BY received_at DESC", String.class, event.code(), focusKey).stream()
        .findFirst().map(payload -> CustodyMessages.read(parse(payload)).focus());
  }

  static OperationOutcome outcome(OperationOutcome.IssueSeverity severity, int status, String text) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setDiagnostics(text).setCode(switch (status) {
      case 200 -> OperationOutcome.IssueType.INFORMATIONAL;
      case 401 -> OperationOutcome.IssueType.SECURITY;
      case 403 -> OperationOutcome.IssueType.FORBIDDEN;
      case 409 -> OperationOutcome.IssueType.CONFLICT;
      case 422 -> OperationOutcome.IssueType.BUSINESSRULE;
      case 500 -> OperationOutcome.IssueType.EXCEPTION;
      default -> OperationOutcome.IssueType.INVALID;
    });
    return outcome;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
