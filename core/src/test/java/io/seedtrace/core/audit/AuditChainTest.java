package io.seedtrace.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static List<AuditEntry> chain(int n) {
    List<AuditEntry> entries = new ArrayList<>();
    Optional<AuditEntry> last = Optional.empty();
    for (int i = 0; i < n; i++) {
      AuditEntry e = AuditChain.next(last, Instant.parse("2026-11-24T09:00:00Z").plusSeconds(i), "nurse-cli",
          "chip-read", "Device/" + i, "success");
      entries.add(e);
      last = Optional.of(e);
    }
    return entries;
  }

  @Test
  void anIntactChainVerifies() {
    assertThat(AuditChain.verify(chain(5))).isEmpty();
  }

  @Test
  void aDeletedEntryIsFound() {
    List<AuditEntry> c = chain(5);
    c.remove(2);
    assertThat(AuditChain.verify(c)).hasValueSatisfying(b -> {
      assertThat(b.sequence()).isEqualTo(3);
      assertThat(b.reason()).contains("missing");
    });
  }

  @Test
  void anAlteredEntryIsFoundEvenWithItsHashRecomputedLocally() {
    List<AuditEntry> c = chain(5);
    AuditEntry e = c.get(1);
    c.set(1, new AuditEntry(e.sequence(), e.time(), "intruder", e.action(), e.entity(), e.outcome(), e.previousHash(), e.hash()));
    assertThat(AuditChain.verify(c)).hasValueSatisfying(b -> {
      assertThat(b.sequence()).isEqualTo(2);
      assertThat(b.reason()).contains("altered");
    });
    // re-hashing the altered entry does not help: the next one no longer links to it
    AuditEntry forged = new AuditEntry(e.sequence(), e.time(), "intruder", e.action(), e.entity(), e.outcome(),
        e.previousHash(), "");
    c.set(1, new AuditEntry(e.sequence(), e.time(), "intruder", e.action(), e.entity(), e.outcome(), e.previousHash(),
        AuditChain.hash(e.previousHash(), forged)));
    assertThat(AuditChain.verify(c)).hasValueSatisfying(b -> {
      assertThat(b.sequence()).isEqualTo(3);
      assertThat(b.reason()).contains("does not link");
    });
  }

  @Test
  void reorderedEntriesAreFound() {
    List<AuditEntry> c = chain(4);
    AuditEntry two = c.get(1);
    c.set(1, c.get(2));
    c.set(2, two);
    assertThat(AuditChain.verify(c)).isPresent();
  }
}
