package io.seedtrace.core.chip;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What the manufacturer writes to the cartridge chip: identity of the cartridge and its seeds, and
 * their activity at a calibration time. Activities are whole kBq so the format needs no floats.
 *
 * @param totalActivityKbq total activity of all seeds at {@code calibrationTime}
 * @param seedActivityKbq nominal activity of one seed at {@code calibrationTime}
 */
public record InitialBlock(String cartridgeSerial, Optional<String> udi, String manufacturer, String productName,
    String model, int seedCount, long totalActivityKbq, Instant calibrationTime, long seedActivityKbq, String lot,
    LocalDate expiry) {

  static final int MAX_SEEDS = 500;
  static final long MAX_TOTAL_KBQ = 100_000_000L; // 100 GBq: far above any seed cartridge

  public InitialBlock {
    text("cartridgeSerial", cartridgeSerial, 32);
    udi.ifPresent(u -> text("udi", u, 64));
    text("manufacturer", manufacturer, 64);
    text("productName", productName, 64);
    text("model", model, 32);
    text("lot", lot, 32);
    if (seedCount < 1 || seedCount > MAX_SEEDS) {
      throw new IllegalArgumentException("seedCount must be 1-" + MAX_SEEDS + ", got " + seedCount);
    }
    if (totalActivityKbq < 1 || totalActivityKbq > MAX_TOTAL_KBQ) {
      throw new IllegalArgumentException("totalActivityKbq out of range: " + totalActivityKbq);
    }
    if (seedActivityKbq < 1 || seedActivityKbq > totalActivityKbq) {
      throw new IllegalArgumentException("seedActivityKbq must be 1..totalActivityKbq, got " + seedActivityKbq);
    }
    if (calibrationTime == null || expiry == null) {
      throw new IllegalArgumentException("calibrationTime and expiry are required");
    }
  }

  static void text(String name, String value, int maxBytes) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
      throw new IllegalArgumentException(name + " exceeds " + maxBytes + " bytes");
    }
  }

  /** The total activity in MBq, as FHIR records it. */
  public double totalActivityMbq() {
    return totalActivityKbq / 1000.0;
  }
}
