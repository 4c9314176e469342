package io.seedtrace.core.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SealingVaultTest {

  static final SecureRandom RANDOM = new SecureRandom();
  static final byte[] RECORD = "{\"hospital\":\"Example General\",\"inpatientNumber\":\"IP-2026-0042\",\"patientName\":\"Zhang Wei\",\"remaining\":2}"
      .getBytes(StandardCharsets.UTF_8);

  private static SealingVault vault() {
    byte[] master = new byte[32];
    RANDOM.nextBytes(master);
    return new SealingVault(new SecretKeySpec(master, "AES"), RANDOM);
  }

  @Test
  void onlyTheTraceKeyOpensTheRecordAndNothingIsReadableAtRest() throws Exception {
    SealingVault vault = vault();
    SealingVault.Sealed sealed = vault.seal("Device/42", RECORD);
    String stored = new String(sealed.record().ciphertext(), StandardCharsets.ISO_8859_1);
    assertThat(stored).doesNotContain("Zhang").doesNotContain("IP-2026");

    TraceKey typed = TraceKey.parse(sealed.traceKey().toString().toLowerCase());
    assertThat(vault.open(sealed.record(), typed)).isEqualTo(RECORD);
    assertThatThrownBy(() -> vault.open(sealed.record(), TraceKey.generate(RANDOM)))
        .isInstanceOf(SealingVault.RefusedException.class);
  }

  @Test
  void rotationKillsTheOldKey() throws Exception {
    SealingVault vault = vault();
    SealingVault.Sealed first = vault.seal("Device/42", RECORD);
    SealingVault.Sealed rotated = vault.rotate(first.record(), first.traceKey());
    assertThat(rotated.traceKey()).isNotEqualTo(first.traceKey());
    assertThat(vault.open(rotated.record(), rotated.traceKey())).isEqualTo(RECORD);
    assertThatThrownBy(() -> vault.open(rotated.record(), first.traceKey()))
        .isInstanceOf(SealingVault.RefusedException.class);
  }

  @Test
  void anotherMasterKeyOrAnAlteredRecordOpensNothing() throws Exception {
    SealingVault.Sealed sealed = vault().seal("Device/42", RECORD);
    assertThatThrownBy(() -> vault().open(sealed.record(), sealed.traceKey()))
        .isInstanceOf(SealingVault.RefusedException.class);
    SealingVault vault = vault();
    SealingVault.Sealed mine = vault.seal("Device/42", RECORD);
    byte[] altered = mine.record().ciphertext().clone();
    altered[5] ^= 1;
    SealedRecord tampered = new SealedRecord("Device/42", mine.record().iv(), altered, mine.record().wrapIv(),
        mine.record().wrappedDataKey());
    assertThatThrownBy(() -> vault.open(tampered, mine.traceKey())).hasMessageContaining("altered");
    SealedRecord moved = new SealedRecord("Device/43", mine.record().iv(), mine.record().ciphertext(),
        mine.record().wrapIv(), mine.record().wrappedDataKey());
    assertThatThrownBy(() -> vault.open(moved, mine.traceKey())).isInstanceOf(SealingVault.RefusedException.class);
  }

  @Test
  void aMistypedTraceKeyIsCaughtByItsCheckCharacter() {
    String key = TraceKey.generate(RANDOM).toString();
    char[] typo = key.toCharArray();
    typo[0] = typo[0] == 'A' ? 'B' : 'A';
    assertThatThrownBy(() -> TraceKey.parse(new String(typo))).hasMessageContaining("mistyped");
    assertThat(TraceKey.parse(key).toString()).isEqualTo(key);
  }
}
