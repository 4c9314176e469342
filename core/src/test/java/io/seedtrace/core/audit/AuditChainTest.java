package io.seedtrace.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  private static AuditEntry link(long sequence, String previous, String text) {
    byte[] content = (sequence + "|" + previous + "|" + text).getBytes(StandardCharsets.UTF_8);
    return new AuditEntry(sequence, content, previous, AuditChain.hash(previous, content));
  }

  private static List<AuditEntry> chain(int n) {
    List<AuditEntry> entries = new ArrayList<>();
    String previous = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditEntry e = link(i, previous, "{\"actor\":\"nurse-cli\",\"entity\":\"Device/" + i + "\"}");
      entries.add(e);
      previous = e.hash();
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
    byte[] altered = new String(e.content(), StandardCharsets.UTF_8).replace("nurse-cli", "intruder")
        .getBytes(StandardCharsets.UTF_8);
    c.set(1, new AuditEntry(e.sequence(), altered, e.previousHash(), e.hash()));
    assertThat(AuditChain.verify(c)).hasValueSatisfying(b -> {
      assertThat(b.sequence()).isEqualTo(2);
      assertThat(b.reason()).contains("altered");
    });
    // re-hashing the altered entry does not help: the next one no longer links to it
    c.set(1, new AuditEntry(e.sequence(), altered, e.previousHash(), AuditChain.hash(e.previousHash(), altered)));
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

  @Test
  void entriesHashedByFieldsBeforeWholeRecordsWereStillVerify() {
    byte[] content = AuditEntry.fieldContent(1, Instant.parse("2026-11-24T09:00:00Z"), "nurse-cli", "chip-read",
        "Device/1", "SUCCESS: ");
    // the hash such an entry got before: SHA-256(previous || the same length-prefixed fields)
    AuditEntry old = new AuditEntry(1, content, AuditChain.GENESIS, AuditChain.hash(AuditChain.GENESIS, content));
    assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo(
        "1:1;20:2026-11-24T09:00:00Z;9:nurse-cli;9:chip-read;8:Device/1;9:SUCCESS: ;");
    assertThat(AuditChain.verify(List.of(old))).isEmpty();
  }
}
