package io.seedtrace.core.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Adversarial chip payloads (docs/chip-format.md, "Decoder limits"): each is refused with a
 * {@link ChipPayloadException} and the stated reason, never an unchecked exception or an Error, and
 * without allocating more than a small constant: a declared length is checked before anything is
 * allocated for it. Also the regression inputs of what the fuzzer (ChipPayloadFuzzTest) found.
 */
class ChipDecoderAdversarialTest {

  static final byte[] KID = "MFR-001-2026".getBytes(StandardCharsets.US_ASCII);
  static final byte[] HOSP_KID = "HOSP-001".getBytes(StandardCharsets.US_ASCII);
  /** What one refusal may allocate: the exception, its message and stack trace; a copy of the chip. */
  static final long REFUSAL_BUDGET = 64 * 1024;

  static KeyPair manufacturer;
  static KeyPair hospital;
  static byte[] validChip;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    manufacturer = g.generateKeyPair();
    hospital = g.generateKeyPair();
    validChip = ChipPayloadCodec.encode(ChipPayloadCodecTest.block(60), KID, manufacturer.getPrivate());
    ChipPayloadCodec.decode(validChip, registry(), hospitals());
  }

  static CoseSign1.KeyResolver registry() {
    return kid -> Arrays.equals(kid, KID) ? Optional.of(manufacturer.getPublic()) : Optional.empty();
  }

  static CoseSign1.KeyResolver hospitals() {
    return kid -> Arrays.equals(kid, HOSP_KID) ? Optional.of(hospital.getPublic()) : Optional.empty();
  }

  // ---- found by the fuzzer ----

  /**
   * Fuzzer finding (ChipPayloadFuzzTestInputs/chipDecoder/crash-1831348e...): well-formed patient
   * fields with a blank text escaped PatientFields.decode as an IllegalArgumentException.
   */
  @Test
  void blankPatientFieldsAreARefusalNotAnUncheckedException() {
    assertPatientRefused("a2 01 61 31 02 61 20", Reason.FIELD_OUT_OF_RANGE); // {1: "1", 2: " "}
    assertPatientRefused("a2 01 60 02 61 4e", Reason.FIELD_OUT_OF_RANGE); // {1: "", 2: "N"}
    assertPatientRefused("a2 01 61 31 01 61 4e", Reason.MALFORMED); // key 1 twice
    assertPatientRefused("81".repeat(1_000_000), Reason.MALFORMED); // a million nested arrays
  }

  // ---- huge declared lengths and counts ----

  /**
   * A length or count of 2^31-1 .. 2^64-1 wherever the format reads one: refused before allocating,
   * as TRUNCATED (more than the bytes left), TOO_LARGE (2^63 or more, or over a map's limit) or
   * MALFORMED (an array count the format does not have).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "chip array count 2^32-1,          9a ffffffff,                     MALFORMED",
      "chip array count 2^64-1,          9b ffffffffffffffff,             TOO_LARGE",
      "COSE array count 2^63-1,          82 01 d2 9b 7fffffffffffffff,    MALFORMED",
      "protected header length 2^31-1,   82 01 d2 84 5a 7fffffff,         TRUNCATED",
      "protected header length 2^32-1,   82 01 d2 84 5a ffffffff,         TRUNCATED",
      "protected header length 2^63-1,   82 01 d2 84 5b 7fffffffffffffff, TRUNCATED",
      "protected header length 2^64-1,   82 01 d2 84 5b ffffffffffffffff, TOO_LARGE",
      "unprotected map count 2^32-1,     82 01 d2 84 43 a10126 ba ffffffff, MALFORMED",
      "unprotected map count 2^64-1,     82 01 d2 84 43 a10126 bb ffffffffffffffff, TOO_LARGE",
      "payload length 2^31-1,            82 01 d2 84 43 a10126 a0 5a 7fffffff, TRUNCATED",
      "payload length 2^64-1,            82 01 d2 84 43 a10126 a0 5b ffffffffffffffff, TOO_LARGE",
      "signature length 2^32-1,          82 01 d2 84 43 a10126 a0 41 00 5a ffffffff, TRUNCATED",
  })
  void hugeDeclaredLengthsInTheChipAreRefusedBeforeAllocating(String what, String hex, Reason reason) {
    byte[] chip = hex(hex);
    assertRefused(chip, reason);
    assertThat(allocatedByRefusal(() -> ChipPayloadCodec.decode(chip, registry(), hospitals())))
        .as(what).isLessThan(REFUSAL_BUDGET);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "block map count 2^64-1,      bb ffffffffffffffff,            TOO_LARGE",
      "block map count 2^32-1,      ba ffffffff,                    TOO_LARGE",
      "serial length 2^31-1,        a1 01 7a 7fffffff,              TRUNCATED",
      "serial length 2^63-1,        a1 01 7b 7fffffffffffffff,      TRUNCATED",
      "serial length 2^64-1,        a1 01 7b ffffffffffffffff,      TOO_LARGE",
      "field key 2^64-1,            a1 1b ffffffffffffffff 00,      TOO_LARGE",
      "seed count 2^63-1,           a1 06 1b 7fffffffffffffff,      FIELD_OUT_OF_RANGE",
  })
  void hugeDeclaredLengthsBehindAValidSignatureAreRefusedBeforeAllocating(String what, String payload, Reason reason) {
    byte[] chip = signedInitial(hex(payload));
    assertRefused(chip, reason);
    // the signature check itself allocates some 50 KiB; the huge length adds nothing to that
    assertThat(allocatedByRefusal(() -> ChipPayloadCodec.decode(chip, registry(), hospitals())))
        .as(what).isLessThan(REFUSAL_BUDGET + 128 * 1024);
  }

  // ---- nesting ----

  /**
   * The format's layout fixes the nesting (chip array, tag, COSE array; the blocks are maps of
   * scalars inside byte strings): the decoder reads only the item it expects next, so nested
   * arrays, maps or tags are refused at the first one, at any depth, without recursion.
   */
  @Test
  void deepNestingIsRefusedAtTheFirstItemTheFormatDoesNotHave() {
    assertRefused(hex("81".repeat(ChipPayloadCodec.CHIP_CAPACITY)), Reason.MALFORMED);
    assertRefused(hex("82 01" + "81".repeat(ChipPayloadCodec.CHIP_CAPACITY - 2)), Reason.MALFORMED);
    assertRefused(hex("82 01" + "d2".repeat(ChipPayloadCodec.CHIP_CAPACITY - 2)), Reason.MALFORMED);
    assertRefused(hex("82 01 d2 84" + "81".repeat(ChipPayloadCodec.CHIP_CAPACITY - 4)), Reason.MALFORMED);
    assertRefused(signedInitial(hex("a1 01" + "a1 01".repeat(300) + "61 41")), Reason.MALFORMED);
    assertRefused(signedInitial(hex("a1 01" + "81".repeat(600) + "61 41")), Reason.MALFORMED);
    assertRefused(signedInitial(hex("a1 01" + "c2".repeat(600) + "41 01")), Reason.MALFORMED);
    assertRefused(new byte[ChipPayloadCodec.CHIP_CAPACITY + 1], Reason.TOO_LARGE);
    byte[] deep = hex("81".repeat(2_000_000));
    assertThatThrownBy(() -> ChipPayloadCodec.seal(deep, sealingBlock(), HOSP_KID, hospital.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MALFORMED");
  }

  // ---- indefinite lengths and reserved heads ----

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "indefinite chip array,        9f 01 ff,                  MALFORMED",
      "indefinite COSE array,        82 01 d2 9f ff,            MALFORMED",
      "indefinite protected bstr,    82 01 d2 84 5f 43 a10126 ff, MALFORMED",
      "indefinite unprotected map,   82 01 d2 84 43 a10126 bf ff, MALFORMED",
      "indefinite payload bstr,      82 01 d2 84 43 a10126 a0 5f 41 00 ff, MALFORMED",
      "a lone break,                 ff,                        MALFORMED",
      "reserved head 28,             9c,                        MALFORMED",
      "reserved head 29,             82 1d,                     MALFORMED",
      "reserved head 30,             82 01 de,                  MALFORMED",
  })
  void indefiniteLengthsAndReservedHeadsAreRefused(String what, String hex, Reason reason) {
    assertRefused(hex(hex), reason);
  }

  @Test
  void indefiniteLengthsBehindAValidSignatureAreRefused() {
    assertRefused(signedInitial(hex("bf 01 61 41 ff")), Reason.MALFORMED);
    assertRefused(signedInitial(hex("a1 01 7f 61 41 ff")), Reason.MALFORMED);
    assertRefused(signedSealing(hex("bf 01 61 41 ff")), Reason.MALFORMED);
    assertPatientRefused("bf 01 61 41 02 61 42 ff", Reason.MALFORMED);
  }

  // ---- truncation ----

  /** Every proper prefix of a sealed chip declares more than it holds: TRUNCATED, whatever the cut. */
  @Test
  void everyTruncationOfASealedChipIsTruncated() throws Exception {
    byte[] sealed = ChipPayloadCodec.seal(validChip, sealingBlock(), HOSP_KID, hospital.getPrivate());
    ChipPayloadCodec.decode(sealed, registry(), hospitals());
    for (int n = 0; n < sealed.length; n++) {
      assertRefused(Arrays.copyOf(sealed, n), Reason.TRUNCATED);
    }
  }

  /** Every proper prefix of a block, validly signed: the signature does not make it whole. */
  @Test
  void everyTruncationOfASignedBlockIsTruncated() {
    byte[] initial = ChipPayloadCodec.initialPayload(ChipPayloadCodecTest.block(60));
    for (int n = 0; n < initial.length; n += 7) {
      assertRefused(signedInitial(Arrays.copyOf(initial, n)), Reason.TRUNCATED);
    }
    byte[] sealing = ChipPayloadCodec.sealingPayload(sealingBlock());
    for (int n = 0; n < sealing.length; n += 7) {
      assertRefused(signedSealing(Arrays.copyOf(sealing, n)), Reason.TRUNCATED);
    }
    byte[] patient = new PatientFields("IP-1", "Erika").encode();
    for (int n = 0; n < patient.length; n++) {
      assertPatientRefused(HexFormat.of().formatHex(Arrays.copyOf(patient, n)), Reason.TRUNCATED);
    }
  }

  // ---- duplicate keys ----

  @Test
  void duplicateMapKeysAreRefusedEverywhere() {
    // a complete block without UDI (10 fields) with field 6 (seed count) written twice: 11 entries
    InitialBlock noUdi = new InitialBlock("CART-2026-000123", Optional.empty(), "Example Isotope Works",
        "I-125 titanium seed", "6711", 60, 888_000, Instant.parse("2026-11-20T08:00:00Z"), 14_800, "LOT-2611-07",
        LocalDate.parse("2027-01-31"));
    byte[] initial = ChipPayloadCodec.initialPayload(noUdi);
    assertThat(initial[0]).isEqualTo((byte) 0xAA);
    int six = indexOf(initial, hex("06 18 3c"));
    byte[] dup = concat(hex("ab"), Arrays.copyOfRange(initial, 1, six + 3), hex("06 18 3c"),
        Arrays.copyOfRange(initial, six + 3, initial.length));
    assertRefused(signedInitial(dup), Reason.DUPLICATE_FIELD);
    assertRefused(signedInitial(hex("a3 01 61 41 06 01 06 02")), Reason.DUPLICATE_FIELD);
    assertRefused(signedSealing(hex("a9 01 61 41 01 61 41")), Reason.DUPLICATE_FIELD);
    assertRefused(signedSealing(hex("a9 01 61 41 02 61 41 02 61 41")), Reason.DUPLICATE_FIELD);
    // protected header {1: -7, 1: -7}
    assertRefused(cose(hex("a2 01 26 01 26"), hex("a0"), hex("41 00"), new byte[64]), Reason.MALFORMED);
    // protected {1: -7, 4: kid} and unprotected {4: kid}: an unprotected header must be empty
    assertRefused(cose(protectedHeader(KID), concat(hex("a1 04 4c"), KID), hex("41 00"), new byte[64]), Reason.MALFORMED);
  }

  // ---- wrong tags and types ----

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "untagged COSE_Sign1,             82 01 84 4c,                 MALFORMED",
      "COSE_Sign (tag 98),              82 01 d8 62 84,              MALFORMED",
      "COSE_Mac0 (tag 17),              82 01 d1 84,                 MALFORMED",
      "COSE_Encrypt0 (tag 16),          82 01 d0 84,                 MALFORMED",
      "tag 18 in two bytes,             82 01 d8 12 84,              NOT_DETERMINISTIC",
      "tag 18 twice,                    82 01 d2 d2 84,              MALFORMED",
      "version as text,                 82 61 31,                    MALFORMED",
      "version negative,                82 20,                       MALFORMED",
      "version as half float,           82 f9 3c00,                  MALFORMED",
      "version as bignum,               82 c2 41 01,                 MALFORMED",
      "version 2,                       82 02,                       UNSUPPORTED_VERSION",
      "version 2^64-1,                  82 1b ffffffffffffffff,      TOO_LARGE",
      "chip is a map,                   a2 01 02,                    MALFORMED",
      "chip is a byte string,           42 82 01,                    MALFORMED",
      "COSE array of 3,                 82 01 d2 83,                 MALFORMED",
      "COSE array of 5,                 82 01 d2 85,                 MALFORMED",
      "protected header as a map,       82 01 d2 84 a1 01 26,        MALFORMED",
      "unprotected header as bstr,      82 01 d2 84 43 a10126 40,    MALFORMED",
      "payload nil (detached),          82 01 d2 84 43 a10126 a0 f6, MALFORMED",
      "payload as text,                 82 01 d2 84 43 a10126 a0 61 41, MALFORMED",
      "signature as text,               82 01 d2 84 43 a10126 a0 41 00 61 41, MALFORMED",
      "signature of 65 bytes,           82 01 d2 84 43 a10126 a0 41 00 58 41, FIELD_OUT_OF_RANGE",
  })
  void wrongTagsAndTypesInTheChipAreRefused(String what, String hex, Reason reason) {
    byte[] chip = hex(hex);
    byte[] padded = Arrays.copyOf(chip, chip.length + 80); // enough bytes behind the head to read it
    assertRefused(padded, reason);
  }

  /** The protected header must be exactly {1: -7 (ES256), 4: kid of 1-32 bytes}. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "alg ES384,                 a2 01 38 22 04 41 31,        MALFORMED",
      "alg EdDSA,                 a2 01 27 04 41 31,           MALFORMED",
      "alg as text,               a2 01 65 4553323536 04 41 31, MALFORMED",
      "kid as text,               a2 01 26 04 61 31,           MALFORMED",
      "kid empty,                 a2 01 26 04 40,              MALFORMED",
      "kid of 33 bytes,           a2 01 26 04 58 21 000000000000000000000000000000000000000000000000000000000000000000, FIELD_OUT_OF_RANGE",
      "no kid,                    a1 01 26,                    MALFORMED",
      "kid before alg,            a2 04 41 31 01 26,           MALFORMED",
      "an extra parameter,        a3 01 26 03 00 04 41 31,     MALFORMED",
      "empty header,              a0,                          MALFORMED",
      "no header at all,          '',                          TRUNCATED",
      "a byte after the header,   a2 01 26 04 41 31 00,        TRAILING_BYTES",
  })
  void aProtectedHeaderOtherThanEs256AndKidIsRefused(String what, String header, Reason reason) {
    byte[] chip = cose(hex(header), hex("a0"), hex("41 00"), new byte[64]);
    // every key id resolves, so only the header's form can refuse it before the signature check
    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, k -> Optional.of(manufacturer.getPublic())))
        .as(what).isInstanceOfSatisfying(ChipPayloadException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  /** Values of the wrong CBOR type in the initial block, validly signed. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "seed count as float,      a1 06 fa 42700000,   MALFORMED",
      "seed count as bignum,     a1 06 c2 41 3c,      MALFORMED",
      "seed count negative,      a1 06 38 3b,         MALFORMED",
      "seed count true,          a1 06 f5,            MALFORMED",
      "seed count null,          a1 06 f6,            MALFORMED",
      "seed count as text,       a1 06 62 3630,       MALFORMED",
      "serial as byte string,    a1 01 41 43,         MALFORMED",
      "serial not UTF-8,         a1 01 62 c328,       MALFORMED",
      "serial overlong UTF-8,    a1 01 62 c0af,       MALFORMED",
      "serial a lone surrogate,  a1 01 63 eda080,     MALFORMED",
      "key negative,             a1 20 61 41,         MALFORMED",
      "key as text,              a1 61 31 61 41,      MALFORMED",
      "key 0,                    a1 00 61 41,         UNKNOWN_FIELD",
      "key 12,                   a1 0c 61 41,         UNKNOWN_FIELD",
      "serial blank,             a1 01 61 20,         MISSING_FIELD",
      "block is an array,        8a 01,               MALFORMED",
      "block is a tag,           d8 18 41 a0,         MALFORMED",
  })
  void wrongTypesBehindAValidSignatureAreRefused(String what, String payload, Reason reason) {
    assertRefused(signedInitial(hex(payload)), reason);
  }

  /** A complete block whose serial is blank: well-formed CBOR, refused by the record's rules. */
  @Test
  void aBlankSerialInAnOtherwiseCompleteBlockIsOutOfRange() {
    byte[] initial = ChipPayloadCodec.initialPayload(ChipPayloadCodecTest.block(60));
    byte[] serial = "CART-2026-000123".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(initial, serial);
    byte[] blank = initial.clone();
    Arrays.fill(blank, at, at + serial.length, (byte) ' ');
    assertRefused(signedInitial(blank), Reason.FIELD_OUT_OF_RANGE);
  }

  // ---- signatures ----

  /**
   * Degenerate ECDSA signatures: r = s = 0 verified on Java 15-18 before the April 2022 update
   * (CVE-2022-21449, "psychic signatures"); r or s equal to the group order n, or all ones.
   */
  @Test
  void degenerateSignaturesAreRefused() {
    BigInteger n = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    byte[] order = unsigned32(n);
    byte[] zero = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xFF);
    byte[] one = new byte[32];
    one[31] = 1;
    for (byte[][] rs : new byte[][][] {{zero, zero}, {order, order}, {zero, one}, {one, zero}, {ones, ones},
        {order, one}, {one, order}}) {
      byte[] chip = withSignature(validChip, concat(rs[0], rs[1]));
      assertRefused(chip, Reason.BAD_SIGNATURE);
    }
  }

  @Test
  void aSignatureOfTheWrongLengthIsRefused() {
    byte[] shorter = cose(protectedHeader(KID), hex("a0"), hex("41 00"), new byte[63]);
    assertRefused(shorter, Reason.BAD_SIGNATURE);
  }

  // ---- random input ----

  /**
   * Random bytes and random corruptions of a valid chip, of every length up to a chip's capacity:
   * always a ChipPayloadException, never more than the allocation budget for one decode.
   */
  @Test
  void randomInputIsAlwaysRefusedWithBoundedAllocation() {
    Random random = new Random(13);
    long worst = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(ChipPayloadCodec.CHIP_CAPACITY + 1)];
        random.nextBytes(input);
      } else {
        input = Arrays.copyOf(validChip, 1 + random.nextInt(ChipPayloadCodec.CHIP_CAPACITY));
        for (int k = 0; k < 1 + random.nextInt(4); k++) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
        if (Arrays.equals(input, validChip)) {
          continue;
        }
      }
      byte[] chip = input;
      worst = Math.max(worst, allocatedByRefusal(() -> ChipPayloadCodec.decode(chip, registry(), hospitals())));
    }
    // a corruption of the payload is found by the signature check, which allocates some 50 KiB
    assertThat(worst).isLessThan(256 * 1024);
  }

  // ---- helpers ----

  @FunctionalInterface
  interface Decoding {
    Object run() throws ChipPayloadException;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

  /**
   * Bytes the current thread allocates while {@code decoding} is refused. Run until a run loads no
   * class (the first run of a path loads and links classes, which allocates on this thread too).
   */
  static long allocatedByRefusal(Decoding decoding) {
    for (int attempt = 0; attempt < 5; attempt++) {
      long classes = CLASSES.getTotalLoadedClassCount();
      long before = THREADS.getCurrentThreadAllocatedBytes();
      try {
        decoding.run();
        fail("accepted");
      } catch (ChipPayloadException refused) {
        // expected
      }
      long used = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (CLASSES.getTotalLoadedClassCount() == classes) {
        return used;
      }
    }
    throw new AssertionError("every run loaded classes");
  }

  static void assertRefused(byte[] chip, Reason reason) {
    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, registry(), hospitals()))
        .isInstanceOfSatisfying(ChipPayloadException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  static void assertPatientRefused(String hex, Reason reason) {
    byte[] plaintext = hex(hex);
    assertThatThrownBy(() -> PatientFields.decode(plaintext))
        .isInstanceOfSatisfying(ChipPayloadException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  static SealingBlock sealingBlock() {
    return new SealingBlock("CART-2026-000123", "General Hospital", "Urology", "Dr. Who", "OR 3",
        Instant.parse("2026-11-24T09:30:00Z"), 2, 28_000, new byte[40]);
  }

  /** [1, COSE_Sign1(payload)] signed with the registered manufacturer key. */
  static byte[] signedInitial(byte[] payload) {
    return concat(hex("82 01"), CoseSign1.sign(payload, KID, manufacturer.getPrivate()));
  }

  /** [1, the valid initial block, COSE_Sign1(payload)] signed with the registered hospital key. */
  static byte[] signedSealing(byte[] payload) {
    return concat(hex("83 01"), Arrays.copyOfRange(validChip, 2, validChip.length),
        CoseSign1.sign(payload, HOSP_KID, hospital.getPrivate()));
  }

  static byte[] protectedHeader(byte[] kid) {
    return new CborWriter().map(2).uint(1).integer(-7).uint(4).bytes(kid).toBytes();
  }

  /** [1, 18([bstr protectedHeader, unprotected (raw), payload (raw), bstr signature])]. */
  static byte[] cose(byte[] protectedHeader, byte[] unprotectedRaw, byte[] payloadRaw, byte[] signature) {
    return new CborWriter().array(2).uint(1).tag(18).array(4).bytes(protectedHeader).raw(unprotectedRaw)
        .raw(payloadRaw).bytes(signature).toBytes();
  }

  /** The chip with its (last) 64-byte signature replaced. */
  static byte[] withSignature(byte[] chip, byte[] signature) {
    byte[] out = chip.clone();
    System.arraycopy(signature, 0, out, out.length - 64, 64);
    return out;
  }

  static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", "").replace("'", ""));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
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
