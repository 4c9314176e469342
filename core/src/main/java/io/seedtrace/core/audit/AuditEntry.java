package io.seedtrace.core.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One link of the audit chain: what happened, and {@code hash = SHA-256(previousHash || canonical
 * content)}, so that deleting, altering or reordering any entry breaks every later link.
 */
public record AuditEntry(long sequence, Instant time, String actor, String action, String entity, String outcome,
    String previousHash, String hash) {

  /** The exact bytes that are hashed: fields length-prefixed so no two contents collide. */
  byte[] canonicalContent() {
    StringBuilder s = new StringBuilder();
    for (String field : new String[] {Long.toString(sequence), time.toString(), actor, action, entity, outcome}) {
      s.append(field.length()).append(':').append(field).append(';');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
