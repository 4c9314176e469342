package io.seedtrace.core.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChipPayloadCodecTest {

  static final byte[] KID = "MFR-001-2026".getBytes(StandardCharsets.US_ASCII);
  static KeyPair manufacturer;
  static KeyPair stranger;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    manufacturer = g.generateKeyPair();
    stranger = g.generateKeyPair();
  }

  static InitialBlock block(int seeds) {
    return new InitialBlock("CART-2026-000123", Optional.of("(01)06901234567892(17)270131(10)LOT-2611-07"),
        "Example Isotope Works", "I-125 titanium seed", "6711", seeds, seeds * 14_800L,
        Instant.parse("2026-11-20T08:00:00Z"), 14_800, "LOT-2611-07", LocalDate.parse("2027-01-31"));
  }

  static CoseSign1.KeyResolver registry() {
    return kid -> Arrays.equals(kid, KID) ? Optional.of(manufacturer.getPublic()) : Optional.empty();
  }

  @ParameterizedTest
  @ValueSource(ints = {20, 60, 150})
  void roundTripsAndFitsOnAnNtag216(int seeds) throws Exception {
    byte[] chip = ChipPayloadCodec.encode(block(seeds), KID, manufacturer.getPrivate());
    System.out.println("chip payload, initial block, " + seeds + " seeds: " + chip.length + " bytes");
    assertThat(chip.length).isLessThanOrEqualTo(ChipPayloadCodec.CHIP_CAPACITY);
    ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(chip, registry());
    assertThat(decoded.initial()).isEqualTo(block(seeds));
    assertThat(decoded.manufacturerKid()).isEqualTo(KID);
  }

  @Test
  void refusesAChangedByteAnUnknownKeyAndAForeignSignature() throws Exception {
    byte[] chip = ChipPayloadCodec.encode(block(60), KID, manufacturer.getPrivate());
    byte[] tampered = chip.clone();
    int serialAt = indexOf(tampered, "CART-2026-000123".getBytes(StandardCharsets.US_ASCII));
    tampered[serialAt + 15] = '4';
    assertRefused(tampered, Reason.BAD_SIGNATURE);

    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, kid -> Optional.empty()))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));

    byte[] forged = ChipPayloadCodec.encode(block(60), KID, stranger.getPrivate());
    assertRefused(forged, Reason.BAD_SIGNATURE);
  }

  @Test
  void refusesEveryTruncationAndTrailingBytes() throws Exception {
    byte[] chip = ChipPayloadCodec.encode(block(60), KID, manufacturer.getPrivate());
    for (int n = 0; n < chip.length; n++) {
      byte[] cut = Arrays.copyOf(chip, n);
      assertThatThrownBy(() -> ChipPayloadCodec.decode(cut, registry())).isInstanceOf(ChipPayloadException.class);
    }
    assertRefused(Arrays.copyOf(chip, chip.length + 1), Reason.TRAILING_BYTES);
    assertRefused(new byte[ChipPayloadCodec.CHIP_CAPACITY + 1], Reason.TOO_LARGE);
  }

  /** Payloads signed with the right key but breaking the format: the signature is no excuse. */
  @Test
  void refusesWellSignedPayloadsThatBreakTheFormat() {
    assertRefused(signed(w -> w.map(1).uint(1).text("x".repeat(40))), Reason.FIELD_OUT_OF_RANGE);
    assertRefused(signed(w -> w.map(2).uint(1).text("A").uint(1).text("B")), Reason.DUPLICATE_FIELD);
    assertRefused(signed(w -> w.map(1).uint(42).uint(0)), Reason.UNKNOWN_FIELD);
    assertRefused(signed(w -> w.map(1).uint(1).text("only a serial")), Reason.MISSING_FIELD);
    assertRefused(signed(w -> w.map(2).uint(6).uint(9999).uint(1).text("x")), Reason.FIELD_OUT_OF_RANGE);
    assertRefused(signed(w -> w.map(1).uint(1).raw(new byte[] {0x7A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})),
        Reason.TRUNCATED);
    assertRefused(signed(w -> w.map(1).raw(new byte[] {0x18, 0x01}).text("x")), Reason.NOT_DETERMINISTIC);
  }

  @Test
  void refusesAnotherFormatVersion() {
    byte[] cose = CoseSign1.sign(ChipPayloadCodec.initialPayload(block(20)), KID, manufacturer.getPrivate());
    byte[] v2 = new CborWriter().array(2).uint(2).raw(cose).toBytes();
    assertRefused(v2, Reason.UNSUPPORTED_VERSION);
  }

  @Test
  void randomCorruptionIsAlwaysRefusedCleanly() throws Exception {
    byte[] chip = ChipPayloadCodec.encode(block(60), KID, manufacturer.getPrivate());
    Random random = new Random(11);
    for (int i = 0; i < 3000; i++) {
      byte[] m = chip.clone();
      m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
      assertThatThrownBy(() -> ChipPayloadCodec.decode(m, registry())).isInstanceOf(ChipPayloadException.class);
    }
  }

  private static byte[] signed(Consumer<CborWriter> payload) {
    CborWriter w = new CborWriter();
    payload.accept(w);
    return new CborWriter().array(2).uint(1).raw(CoseSign1.sign(w.toBytes(), KID, manufacturer.getPrivate())).toBytes();
  }

  private static void assertRefused(byte[] chip, Reason reason) {
    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, registry()))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("not found");
  }
}
