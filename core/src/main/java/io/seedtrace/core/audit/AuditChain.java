package io.seedtrace.core.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Builds and checks the hash chain of audit entries. {@link #hash} links an entry's content to the
 * entry before it; {@link #verify} finds the first entry where the chain is broken.
 */
public final class AuditChain {

  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  /** Where the chain breaks, and why. */
  public record Break(long sequence, String reason) {}

  /** Checks entries in sequence order, starting at 1; empty when the chain is intact. */
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
      if (!hash(previous, e.content()).equals(e.hash())) {
        return Optional.of(new Break(e.sequence(), "content was altered"));
      }
      previous = e.hash();
      expected++;
    }
    return Optional.empty();
  }

  /** SHA-256 over the previous entry's hash and this entry's content, hex. */
  public static String hash(String previous, byte[] content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      sha.update(content);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
