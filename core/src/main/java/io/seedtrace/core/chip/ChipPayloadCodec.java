package io.seedtrace.core.chip;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The cartridge chip payload, format version 1 (byte layout in docs/chip-format.md):
 * {@code [1, COSE_Sign1(initial block)]}, where the initial block is a CBOR map with integer keys
 * 1..11 in ascending order. Decoding is all or nothing: any deviation is refused with a reason.
 *
 * <pre>{@code
 * byte[] chip = ChipPayloadCodec.encode(block, kid, manufacturerPrivateKey);
 * InitialBlock read = ChipPayloadCodec.decode(chip, kid -> registry.find(kid)).initial();
 * }</pre>
 */
public final class ChipPayloadCodec {

  public static final int VERSION = 1;
  /** Usable user memory of an NTAG 216 tag. */
  public static final int CHIP_CAPACITY = 888;

  private ChipPayloadCodec() {}

  /**
   * A decoded, verified payload: the initial block and the id of the manufacturer key that signed
   * it and, once sealed, the sealing block and the id of the hospital key that signed that.
   */
  public record Decoded(InitialBlock initial, byte[] manufacturerKid, Optional<SealingBlock> sealing,
      Optional<byte[]> hospitalKid) {

    public Decoded(InitialBlock initial, byte[] manufacturerKid) {
      this(initial, manufacturerKid, Optional.empty(), Optional.empty());
    }
  }

  public static byte[] encode(InitialBlock block, byte[] kid, PrivateKey manufacturerKey) {
    byte[] signed = CoseSign1.sign(initialPayload(block), kid, manufacturerKey);
    byte[] chip = new CborWriter().array(2).uint(VERSION).raw(signed).toBytes();
    if (chip.length > CHIP_CAPACITY) {
      throw new IllegalArgumentException("payload of " + chip.length + " bytes exceeds the chip's " + CHIP_CAPACITY);
    }
    return chip;
  }

  /**
   * Appends the hospital's signed sealing block to a chip that holds only the initial block.
   *
   * @throws IllegalArgumentException if the chip is already sealed, is not a well-formed version-1
   *     chip, names another cartridge, or the result would not fit on the chip
   */
  public static byte[] seal(byte[] chip, SealingBlock block, byte[] kid, PrivateKey hospitalKey) {
    CborReader r = new CborReader(chip);
    byte[] initialSign1;
    try {
      if (r.array(2, 3) != 2) {
        throw new IllegalArgumentException("this chip is already sealed");
      }
      if (r.uint() != VERSION) {
        throw new IllegalArgumentException("not a version " + VERSION + " chip");
      }
      int start = r.position();
      CoseSign1.parse(r, CHIP_CAPACITY);
      initialSign1 = java.util.Arrays.copyOfRange(chip, start, r.position());
      if (!r.atEnd()) {
        throw new IllegalArgumentException("bytes after the initial block");
      }
    } catch (ChipPayloadException e) {
      throw new IllegalArgumentException("not a readable chip payload: " + e.getMessage());
    }
    byte[] signed = CoseSign1.sign(sealingPayload(block), kid, hospitalKey);
    byte[] sealed = new CborWriter().array(3).uint(VERSION).raw(initialSign1).raw(signed).toBytes();
    if (sealed.length > CHIP_CAPACITY) {
      throw new IllegalArgumentException("sealed payload of " + sealed.length + " bytes exceeds the chip's " + CHIP_CAPACITY);
    }
    return sealed;
  }

  static byte[] sealingPayload(SealingBlock b) {
    return new CborWriter().map(9)
        .uint(1).text(b.cartridgeSerial())
        .uint(2).text(b.hospital())
        .uint(3).text(b.department())
        .uint(4).text(b.doctor())
        .uint(5).text(b.surgicalDepartment())
        .uint(6).uint(b.surgeryTime().getEpochSecond())
        .uint(7).uint(b.remainingCount())
        .uint(8).uint(b.remainingActivityKbq())
        .uint(9).bytes(b.protectedPatientFields())
        .toBytes();
  }

  static byte[] initialPayload(InitialBlock b) {
    int entries = b.udi().isPresent() ? 11 : 10;
    CborWriter w = new CborWriter().map(entries);
    w.uint(1).text(b.cartridgeSerial());
    b.udi().ifPresent(u -> w.uint(2).text(u));
    w.uint(3).text(b.manufacturer());
    w.uint(4).text(b.productName());
    w.uint(5).text(b.model());
    w.uint(6).uint(b.seedCount());
    w.uint(7).uint(b.totalActivityKbq());
    w.uint(8).uint(b.calibrationTime().getEpochSecond());
    w.uint(9).uint(b.seedActivityKbq());
    w.uint(10).text(b.lot());
    w.uint(11).uint(b.expiry().toEpochDay());
    return w.toBytes();
  }

  /**
   * Verifies and decodes a chip payload.
   *
   * @throws ChipPayloadException with the reason, for anything but a complete, well-formed,
   *     correctly signed payload of a known key
   */
  public static Decoded decode(byte[] chip, CoseSign1.KeyResolver keys) throws ChipPayloadException {
    return decode(chip, keys, keys);
  }

  /**
   * Verifies and decodes a chip payload whose initial block is signed by a manufacturer key and
   * whose sealing block, if present, by a hospital key.
   *
   * @throws ChipPayloadException with the reason, for anything but a complete, well-formed,
   *     correctly signed payload of known keys
   */
  public static Decoded decode(byte[] chip, CoseSign1.KeyResolver manufacturerKeys, CoseSign1.KeyResolver hospitalKeys)
      throws ChipPayloadException {
    if (chip.length > CHIP_CAPACITY) {
      throw new ChipPayloadException(Reason.TOO_LARGE, chip.length + " bytes is more than a chip holds (" + CHIP_CAPACITY + ")");
    }
    CborReader r = new CborReader(chip);
    int parts = r.array(2, 3);
    long version = r.uint();
    if (version != VERSION) {
      throw new ChipPayloadException(Reason.UNSUPPORTED_VERSION, "format version " + version + ", this reader knows " + VERSION);
    }
    CoseSign1.Verified initial = CoseSign1.verify(r, CHIP_CAPACITY, manufacturerKeys);
    InitialBlock initialBlock = parseInitial(initial.payload());
    Optional<SealingBlock> sealing = Optional.empty();
    Optional<byte[]> hospitalKid = Optional.empty();
    if (parts == 3) {
      CoseSign1.Verified sealed = CoseSign1.verify(r, CHIP_CAPACITY, hospitalKeys);
      SealingBlock block = parseSealing(sealed.payload());
      if (!block.cartridgeSerial().equals(initialBlock.cartridgeSerial())) {
        throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, "the sealing block names cartridge "
            + block.cartridgeSerial() + ", the initial block " + initialBlock.cartridgeSerial());
      }
      if (block.remainingCount() > initialBlock.seedCount()) {
        throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, "remaining count " + block.remainingCount()
            + " exceeds the " + initialBlock.seedCount() + " seeds shipped");
      }
      sealing = Optional.of(block);
      hospitalKid = Optional.of(sealed.kid());
    }
    if (!r.atEnd()) {
      throw new ChipPayloadException(Reason.TRAILING_BYTES, "bytes after the payload at byte " + r.position());
    }
    return new Decoded(initialBlock, initial.kid(), sealing, hospitalKid);
  }

  private static SealingBlock parseSealing(byte[] payload) throws ChipPayloadException {
    CborReader r = new CborReader(payload);
    int entries = r.map(9);
    if (entries != 9) {
      throw new ChipPayloadException(Reason.MISSING_FIELD, "the sealing block has " + entries + " of its 9 fields");
    }
    expectKey(r, 1);
    String serial = r.text(32);
    expectKey(r, 2);
    String hospital = r.text(64);
    expectKey(r, 3);
    String department = r.text(32);
    expectKey(r, 4);
    String doctor = r.text(48);
    expectKey(r, 5);
    String surgical = r.text(32);
    expectKey(r, 6);
    long surgery = range(r.uint(), 946684800L, 4102444800L, "surgery time");
    expectKey(r, 7);
    long remaining = range(r.uint(), 0, InitialBlock.MAX_SEEDS, "remaining count");
    expectKey(r, 8);
    long remainingKbq = range(r.uint(), 0, InitialBlock.MAX_TOTAL_KBQ, "remaining activity (kBq)");
    expectKey(r, 9);
    byte[] patient = r.bytes(SealingBlock.MAX_PROTECTED);
    if (!r.atEnd()) {
      throw new ChipPayloadException(Reason.TRAILING_BYTES, "bytes after the sealing block");
    }
    try {
      return new SealingBlock(serial, hospital, department, doctor, surgical, Instant.ofEpochSecond(surgery),
          (int) remaining, remainingKbq, patient);
    } catch (IllegalArgumentException inconsistent) {
      throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, inconsistent.getMessage());
    }
  }

  /** Sealing block fields come in the order 1..9: a smaller key than expected was already read. */
  private static void expectKey(CborReader r, long expected) throws ChipPayloadException {
    long key = r.uint();
    if (key != expected) {
      Reason reason = key == 0 || key > 9 ? Reason.UNKNOWN_FIELD
          : key < expected ? Reason.DUPLICATE_FIELD : Reason.NOT_DETERMINISTIC;
      throw new ChipPayloadException(reason, "sealing block field " + key + " where field " + expected + " belongs");
    }
  }

  private static InitialBlock parseInitial(byte[] payload) throws ChipPayloadException {
    CborReader r = new CborReader(payload);
    int entries = r.map(11);
    String serial = null;
    String udi = null;
    String manufacturer = null;
    String product = null;
    String model = null;
    Long seeds = null;
    Long total = null;
    Long calibration = null;
    Long perSeed = null;
    String lot = null;
    Long expiry = null;
    Set<Long> seen = new HashSet<>();
    long previous = 0;
    for (int e = 0; e < entries; e++) {
      long key = r.uint();
      if (key == 0 || key > 11) {
        throw new ChipPayloadException(Reason.UNKNOWN_FIELD, "unknown field " + key + " in the initial block");
      }
      if (!seen.add(key)) {
        throw new ChipPayloadException(Reason.DUPLICATE_FIELD, "field " + key + " appears twice");
      }
      if (key <= previous) {
        throw new ChipPayloadException(Reason.NOT_DETERMINISTIC, "fields not in ascending key order at field " + key);
      }
      previous = key;
      switch ((int) key) {
        case 1 -> serial = r.text(32);
        case 2 -> udi = r.text(64);
        case 3 -> manufacturer = r.text(64);
        case 4 -> product = r.text(64);
        case 5 -> model = r.text(32);
        case 6 -> seeds = range(r.uint(), 1, InitialBlock.MAX_SEEDS, "seed count");
        case 7 -> total = range(r.uint(), 1, InitialBlock.MAX_TOTAL_KBQ, "total activity (kBq)");
        case 8 -> calibration = range(r.uint(), 946684800L, 4102444800L, "calibration time");
        case 9 -> perSeed = range(r.uint(), 1, InitialBlock.MAX_TOTAL_KBQ, "seed activity (kBq)");
        case 10 -> lot = r.text(32);
        case 11 -> expiry = range(r.uint(), 10957, 47482, "expiry day");
        default -> throw new ChipPayloadException(Reason.UNKNOWN_FIELD, "unknown field " + key + " in the initial block");
      }
    }
    if (!r.atEnd()) {
      throw new ChipPayloadException(Reason.TRAILING_BYTES, "bytes after the initial block");
    }
    require(serial, "cartridge serial (1)");
    require(manufacturer, "manufacturer (3)");
    require(product, "product name (4)");
    require(model, "model (5)");
    require(seeds, "seed count (6)");
    require(total, "total activity (7)");
    require(calibration, "calibration time (8)");
    require(perSeed, "seed activity (9)");
    require(lot, "lot (10)");
    require(expiry, "expiry (11)");
    try {
      return new InitialBlock(serial, Optional.ofNullable(udi), manufacturer, product, model, seeds.intValue(), total,
          Instant.ofEpochSecond(calibration), perSeed, lot, LocalDate.ofEpochDay(expiry));
    } catch (IllegalArgumentException inconsistent) {
      throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, inconsistent.getMessage());
    }
  }

  private static long range(long v, long min, long max, String what) throws ChipPayloadException {
    if (v < min || v > max) {
      throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, what + " " + v + " outside " + min + ".." + max);
    }
    return v;
  }

  private static void require(Object value, String field) throws ChipPayloadException {
    if (value == null) {
      throw new ChipPayloadException(Reason.MISSING_FIELD, "missing " + field);
    }
  }
}
