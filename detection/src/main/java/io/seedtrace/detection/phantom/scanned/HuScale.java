package io.seedtrace.detection.phantom.scanned;

/**
 * How reconstructed CT numbers are stored. Many scanners store 12 bits and so cannot show anything
 * above 3071 HU: metal saturates at the ceiling. Scanners with an extended CT scale keep values up to
 * the 16-bit limit, so the brightness of metal is preserved.
 */
public enum HuScale {
  /** Signed 16-bit, -1024 to 32767 HU. */
  EXTENDED(32767),
  /** 12-bit, -1024 to 3071 HU. */
  CLAMPED_12BIT(3071);

  private final int ceiling;

  HuScale(int ceiling) {
    this.ceiling = ceiling;
  }

  /** Highest storable CT number. */
  public int ceiling() {
    return ceiling;
  }

  /** A CT number rounded and clamped to the storable range. */
  short store(double hu) {
    long r = Math.round(hu);
    return (short) Math.max(-1024, Math.min(ceiling, r));
  }
}
