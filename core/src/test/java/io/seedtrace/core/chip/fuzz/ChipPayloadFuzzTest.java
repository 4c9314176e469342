package io.seedtrace.core.chip.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.ChipPayloadException;
import io.seedtrace.core.chip.CoseSign1;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.core.chip.PatientFields;
import io.seedtrace.core.chip.SealingBlock;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for every decoder of chip data, which is outside input read from a physical tag.
 * The first byte of an input picks the entry point, the rest is what that entry point reads:
 *
 * <ol start="0">
 *   <li>{@link ChipPayloadCodec#decode} on the raw chip (every key id resolves to the test keys, so
 *       a mutated chip still reaches the signature check);
 *   <li>the initial block: the bytes are signed as the manufacturer's payload, so the block parser
 *       behind the signature is reached;
 *   <li>the sealing block: signed as the hospital's payload behind a valid initial block;
 *   <li>{@link PatientFields#decode} (the plaintext of the chip's protected patient fields);
 *   <li>{@link ChipPayloadCodec#seal}, which reads the chip it appends to.
 * </ol>
 *
 * <p>A finding is: any exception but the declared refusal (ChipPayloadException, or
 * IllegalArgumentException for seal), an Error (stack overflow, out of memory), more than
 * {@link #MAX_MILLIS} ms for one input (a real hang is stopped by libFuzzer's {@code -timeout},
 * which Jazzer takes from {@code @Timeout}), more than {@link #ALLOCATION_BUDGET} bytes allocated
 * by one decode, or an accepted input that does not re-encode to the same bytes (the format has
 * one encoding per value). The dictionary {@code chip.dict} holds the format's CBOR heads and the
 * adversarial ones (indefinite lengths, 64-bit lengths, floats, tags).
 */
class ChipPayloadFuzzTest {

  /** Bytes one decode may allocate: a valid sealed chip (two ES256 verifications) takes about 50 KiB. */
  static final long ALLOCATION_BUDGET = 512 * 1024;
  /**
   * Time one input may take (with signing, two ES256 verifications and Jazzer's instrumentation it
   * is a few milliseconds). Beyond {@code @Timeout}'s 5 s, libFuzzer stops the run and reports a hang.
   */
  static final long MAX_MILLIS = 2_000;

  // Test-only P-256 keys, fixed so that the seed inputs (ChipPayloadFuzzTestInputs) carry valid
  // signatures. They sign nothing but fuzz inputs.
  static final KeyPair MANUFACTURER = pair(
      "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCAZ6WozGrgAv4TctFcgs+NAcDGXHkhdNDUxw0OI1BbL+Q==",
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERBjmO9Zv3pqyCVEct3HyP7fF14MBQ9KigS/Wx82n/R8Uz7AiecQeIIHINEsSZhhVoXDFsYZCdjfc//Gt8cN6gQ==");
  static final KeyPair HOSPITAL = pair(
      "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCBfD3cOugsQLjzFMWFMM2nsXp2FjuiWJovsqv48j7NxIg==",
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9pH80Hnu0eFNLLxyMNLtgVdxmLLOU7skFHadZa1lr8sSPGAgRXMrX7SJwHT+1XH0OyYxD+WEroWcYghXG545EQ==");
  static final byte[] MFR_KID = "FUZZ-MFR-1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] HOSP_KID = "FUZZ-HOSP-1".getBytes(StandardCharsets.US_ASCII);
  static final CoseSign1.KeyResolver ANY_MANUFACTURER = kid -> Optional.of(MANUFACTURER.getPublic());
  static final CoseSign1.KeyResolver ANY_HOSPITAL = kid -> Optional.of(HOSPITAL.getPublic());

  static final InitialBlock INITIAL = new InitialBlock("CART-2026-000123", Optional.empty(), "Example Isotope Works",
      "I-125 titanium seed", "6711", 60, 888_000, Instant.parse("2026-11-20T08:00:00Z"), 14_800, "LOT-2611-07",
      LocalDate.parse("2027-01-31"));
  /** A valid unsealed chip: {@code 82 01} followed by the manufacturer's COSE_Sign1. */
  static final byte[] INITIAL_CHIP = ChipPayloadCodec.encode(INITIAL, MFR_KID, MANUFACTURER.getPrivate());
  static final SealingBlock SEALING = new SealingBlock("CART-2026-000123", "General Hospital", "Urology", "Dr. Who",
      "OR 3", Instant.parse("2026-11-24T09:30:00Z"), 2, 28_000, new byte[40]);

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

  @DictionaryFile(resourcePath = "/io/seedtrace/core/chip/fuzz/chip.dict")
  @FuzzTest(maxDuration = "10m")
  @Timeout(5)
  void chipDecoder(byte[] input) {
    if (input.length == 0) {
      return;
    }
    long start = System.nanoTime();
    byte[] data = Arrays.copyOfRange(input, 1, input.length);
    switch ((input[0] & 0xFF) % 5) {
      case 0 -> decode(data, ANY_MANUFACTURER, ANY_HOSPITAL);
      case 1 -> initialBlock(data);
      case 2 -> sealingBlock(data);
      case 3 -> patientFields(data);
      default -> seal(data);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (millis > MAX_MILLIS) {
      throw new AssertionError("one input of " + input.length + " bytes took " + millis + " ms");
    }
  }

  private static void initialBlock(byte[] payload) {
    byte[] chip = org.bouncycastle.util.Arrays.concatenate(new byte[] {(byte) 0x82, 0x01}, CoseSign1.sign(payload, MFR_KID, MANUFACTURER.getPrivate()));
    ChipPayloadCodec.Decoded decoded = decode(chip, ANY_MANUFACTURER, ANY_HOSPITAL);
    if (decoded != null) {
      byte[] again = ChipPayloadCodec.encode(decoded.initial(), MFR_KID, MANUFACTURER.getPrivate());
      requireSamePayload(payload, again);
    }
  }

  private static void sealingBlock(byte[] payload) {
    byte[] chip = org.bouncycastle.util.Arrays.concatenate(new byte[] {(byte) 0x83, 0x01}, Arrays.copyOfRange(INITIAL_CHIP, 2, INITIAL_CHIP.length),
        CoseSign1.sign(payload, HOSP_KID, HOSPITAL.getPrivate()));
    ChipPayloadCodec.Decoded decoded = decode(chip, ANY_MANUFACTURER, ANY_HOSPITAL);
    if (decoded != null) {
      byte[] again = ChipPayloadCodec.seal(INITIAL_CHIP, decoded.sealing().orElseThrow(), HOSP_KID, HOSPITAL.getPrivate());
      requireSamePayload(payload, again);
    }
  }

  private static void patientFields(byte[] plaintext) {
    long classes = CLASSES.getTotalLoadedClassCount();
    long before = THREADS.getCurrentThreadAllocatedBytes();
    PatientFields fields;
    try {
      fields = PatientFields.decode(plaintext);
    } catch (ChipPayloadException refused) {
      return;
    } finally {
      checkAllocation(classes, before, plaintext);
    }
    if (!Arrays.equals(fields.encode(), plaintext)) {
      throw new AssertionError("patient fields accepted in a second encoding");
    }
  }

  private static void seal(byte[] chip) {
    try {
      ChipPayloadCodec.seal(chip, SEALING, HOSP_KID, HOSPITAL.getPrivate());
    } catch (IllegalArgumentException refused) {
      // seal's documented refusal of a chip it cannot append to
    }
  }

  /** Decodes; returns null for a clean refusal; anything else escapes to the fuzzer as a finding. */
  private static ChipPayloadCodec.Decoded decode(byte[] chip, CoseSign1.KeyResolver mfr, CoseSign1.KeyResolver hosp) {
    long classes = CLASSES.getTotalLoadedClassCount();
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      return ChipPayloadCodec.decode(chip, mfr, hosp);
    } catch (ChipPayloadException refused) {
      return null;
    } finally {
      checkAllocation(classes, before, chip);
    }
  }

  /**
   * Fails if one decode allocated more than the budget. A call that loaded classes (the first use
   * of a code path: class loading and Jazzer's instrumentation allocate on the calling thread) is
   * not measured; the fuzzer runs that path again soon enough.
   */
  private static void checkAllocation(long classesBefore, long before, byte[] input) {
    long used = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (used > ALLOCATION_BUDGET && CLASSES.getTotalLoadedClassCount() == classesBefore) {
      throw new AssertionError("decoding " + input.length + " bytes allocated " + used + " bytes");
    }
  }

  /**
   * The last COSE_Sign1 of a chip ends with its payload bstr and the 66-byte signature bstr: the
   * re-encoded chip must carry exactly the accepted payload there.
   */
  private static void requireSamePayload(byte[] accepted, byte[] reencoded) {
    int n = accepted.length;
    byte[] head = n < 24 ? new byte[] {(byte) (0x40 | n)} : n < 256 ? new byte[] {0x58, (byte) n}
        : new byte[] {0x59, (byte) (n >> 8), (byte) n};
    int end = reencoded.length - 66;
    int start = end - n - head.length;
    if (start < 0 || !Arrays.equals(Arrays.copyOfRange(reencoded, start, end), org.bouncycastle.util.Arrays.concatenate(head, accepted))) {
      throw new AssertionError("a payload was accepted that is not the deterministic encoding of what it decodes to");
    }
  }

  private static KeyPair pair(String pkcs8, String x509) {
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      return new KeyPair(ec.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(x509))),
          ec.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8))));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
