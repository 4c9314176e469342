package io.seedtrace.core.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One link of the audit chain: the exact bytes that were hashed ({@code content}: the whole record
 * in a canonical form, its sequence number and the previous hash included), and
 * {@code hash = SHA-256(previousHash || content)}, so that deleting, altering or reordering any
 * entry breaks every later link.
 */
public record AuditEntry(long sequence, byte[] content, String previousHash, String hash) {

  /**
   * The content of entries written before whole records were hashed: only these fields,
   * length-prefixed so no two contents collide. Kept so that older chains still verify.
   */
  public static byte[] fieldContent(long sequence, Instant time, String actor, String action, String entity,
      String outcome) {
    StringBuilder s = new StringBuilder();
    for (String field : new String[] {Long.toString(sequence), time.toString(), actor, action, entity, outcome}) {
      s.append(field.length()).append(':').append(field).append(';');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
