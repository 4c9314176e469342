package io.seedtrace.core.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import io.seedtrace.core.sealing.SealingVault;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SealedChipTest {

  static final byte[] MFR_KID = "MFR-001-2026".getBytes(StandardCharsets.US_ASCII);
  static final byte[] HOSP_KID = "HOSP-001-SEAL-2026".getBytes(StandardCharsets.US_ASCII);
  static KeyPair manufacturer;
  static KeyPair hospital;
  static SealingVault vault;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    manufacturer = g.generateKeyPair();
    hospital = g.generateKeyPair();
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    vault = new SealingVault(new SecretKeySpec(master, "AES"), new SecureRandom());
  }

  /** Every text field at its maximum length: the worst case for the chip's capacity. */
  static InitialBlock fullInitial(int seeds) {
    return new InitialBlock("S".repeat(32), Optional.of("U".repeat(64)), "M".repeat(64), "P".repeat(64),
        "X".repeat(32), seeds, seeds * 14_800L, Instant.parse("2026-11-20T08:00:00Z"), 14_800, "L".repeat(32),
        LocalDate.parse("2027-01-31"));
  }

  static CoseSign1.KeyResolver only(byte[] kid, KeyPair pair) {
    return k -> Arrays.equals(k, kid) ? Optional.of(pair.getPublic()) : Optional.empty();
  }

  record Sealed(byte[] chip, SealingVault.Sealed vaulted) {}

  static Sealed seal(InitialBlock initial, int remaining) throws Exception {
    byte[] chip = ChipPayloadCodec.encode(initial, MFR_KID, manufacturer.getPrivate());
    SealingVault.Sealed vaulted = vault.seal(initial.cartridgeSerial(), "record".getBytes(StandardCharsets.UTF_8));
    byte[] patient = vault.encryptForChip(vaulted.record(), vaulted.traceKey(),
        new PatientFields("I".repeat(32), "N".repeat(64)).encode());
    SealingBlock block = new SealingBlock(initial.cartridgeSerial(), "H".repeat(64), "D".repeat(32), "Dr".repeat(24),
        "S".repeat(32), Instant.parse("2026-11-24T09:30:00Z"), remaining, remaining * 14_000L, patient);
    return new Sealed(ChipPayloadCodec.seal(chip, block, HOSP_KID, hospital.getPrivate()), vaulted);
  }

  @ParameterizedTest
  @ValueSource(ints = {20, 60, 150})
  void bothBlocksFitOnAnNtag216EvenWithEveryFieldAtItsLimit(int seeds) throws Exception {
    InitialBlock initial = fullInitial(seeds);
    byte[] initialOnly = ChipPayloadCodec.encode(initial, MFR_KID, manufacturer.getPrivate());
    Sealed sealed = seal(initial, 2);
    System.out.println("chip payload, " + seeds + " seeds, every field at its limit: initial " + initialOnly.length
        + " bytes, sealed " + sealed.chip().length + " bytes");
    assertThat(sealed.chip().length).isLessThanOrEqualTo(ChipPayloadCodec.CHIP_CAPACITY);

    ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(sealed.chip(), only(MFR_KID, manufacturer),
        only(HOSP_KID, hospital));
    assertThat(decoded.initial()).isEqualTo(initial);
    SealingBlock block = decoded.sealing().orElseThrow();
    assertThat(block.remainingCount()).isEqualTo(2);
    assertThat(decoded.hospitalKid().orElseThrow()).isEqualTo(HOSP_KID);
    // the patient fields are not on the chip in clear, and the trace key reads them back
    assertThat(new String(sealed.chip(), StandardCharsets.ISO_8859_1)).doesNotContain("NNNNNNNN");
    PatientFields patient = PatientFields.decode(vault.decryptFromChip(sealed.vaulted().record(),
        sealed.vaulted().traceKey(), block.protectedPatientFields()));
    assertThat(patient.patientName()).isEqualTo("N".repeat(64));
  }

  @Test
  void aSealingBlockSignedByAnUnknownHospitalKeyIsRefused() throws Exception {
    Sealed sealed = seal(fullInitial(60), 2);
    assertThatThrownBy(() -> ChipPayloadCodec.decode(sealed.chip(), only(MFR_KID, manufacturer),
        only(MFR_KID, manufacturer)))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
  }

  @Test
  void aChangedRemainingCountBreaksTheHospitalSignature() throws Exception {
    Sealed sealed = seal(fullInitial(60), 2);
    byte[] chip = sealed.chip();
    // field 7 (remaining count 2) is encoded as 07 02 followed by field 8; change it to 07 01
    byte[] tampered = chip.clone();
    for (int i = tampered.length - 3; i > 0; i--) {
      if (tampered[i] == 0x07 && tampered[i + 1] == 0x02 && tampered[i + 2] == 0x08) {
        tampered[i + 1] = 0x01;
        break;
      }
    }
    assertThat(tampered).isNotEqualTo(chip);
    assertThatThrownBy(() -> ChipPayloadCodec.decode(tampered, only(MFR_KID, manufacturer), only(HOSP_KID, hospital)))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void aSealedChipCannotBeSealedTwiceAndATruncatedOneIsRefused() throws Exception {
    Sealed sealed = seal(fullInitial(20), 0);
    SealingBlock again = ChipPayloadCodec.decode(sealed.chip(), only(MFR_KID, manufacturer), only(HOSP_KID, hospital))
        .sealing().orElseThrow();
    assertThatThrownBy(() -> ChipPayloadCodec.seal(sealed.chip(), again, HOSP_KID, hospital.getPrivate()))
        .hasMessageContaining("already sealed");
    for (int cut = 1; cut < 40; cut++) {
      byte[] truncated = Arrays.copyOf(sealed.chip(), sealed.chip().length - cut);
      assertThatThrownBy(() -> ChipPayloadCodec.decode(truncated, only(MFR_KID, manufacturer), only(HOSP_KID, hospital)))
          .isInstanceOf(ChipPayloadException.class);
    }
  }

  @Test
  void anOldTraceKeyNoLongerReadsThePatientFieldsAfterRotation() throws Exception {
    Sealed sealed = seal(fullInitial(20), 1);
    SealingBlock block = ChipPayloadCodec.decode(sealed.chip(), only(MFR_KID, manufacturer), only(HOSP_KID, hospital))
        .sealing().orElseThrow();
    SealingVault.Sealed rotated = vault.rotate(sealed.vaulted().record(), sealed.vaulted().traceKey());
    assertThat(PatientFields.decode(vault.decryptFromChip(rotated.record(), rotated.traceKey(),
        block.protectedPatientFields())).inpatientNumber()).isEqualTo("I".repeat(32));
    assertThatThrownBy(() -> vault.decryptFromChip(rotated.record(), sealed.vaulted().traceKey(),
        block.protectedPatientFields())).isInstanceOf(SealingVault.RefusedException.class);
  }
}
