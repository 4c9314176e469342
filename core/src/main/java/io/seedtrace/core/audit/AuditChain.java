package io.seedtrace.core.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Builds and checks the hash chain of audit entries. {@link #next} makes the entry that follows the
 * last one; {@link #verify} finds the first entry where the chain is broken.
 */
public final class AuditChain {

  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** The entry that follows {@code last} (or starts the chain when {@code last} is empty). */
  public static AuditEntry next(Optional<AuditEntry> last, Instant time, String actor, String action, String entity,
      String outcome) {
    long sequence = last.map(e -> e.sequence() + 1).orElse(1L);
    String previous = last.map(AuditEntry::hash).orElse(GENESIS);
    AuditEntry unsigned = new AuditEntry(sequence, time, actor, action, entity, outcome, previous, "");
    return new AuditEntry(sequence, time, actor, action, entity, outcome, previous, hash(previous, unsigned));
  }

  /** Where the chain breaks, and why. */
  public record Break(long sequence, String reason) {}

  /** Checks entries in sequence order; empty when the chain is intact. */
  public static Optional<Break> verify(List<AuditEntry> entries) {
    String previous = GENESIS;
    long expected = 1;
    for (AuditEntry e : entries) {
      if (e.sequence() != expected) {
        return Optional.of(new Break(expected, "entry " + expected + " is missing (found " + e.sequence() + ")"));
      }
      if (!e.previousHash().equals(previous)) {
        return Optional.of(new Break(e.sequence(), "does not link to the entry before it"));
      }
      if (!hash(previous, e).equals(e.hash())) {
        return Optional.of(new Break(e.sequence(), "content was altered"));
      }
      previous = e.hash();
      expected++;
    }
    return Optional.empty();
  }

  static String hash(String previous, AuditEntry e) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update(e.canonicalContent());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
