package io.seedtrace.dosimetry.dvh;

/**
 * A dose figure outside its limit, for the physicist.
 *
 * @param kind {@link #UNDERDOSE} or {@link #ORGAN_LIMIT}
 * @param detail a sentence with the figure and the limit
 */
public record DoseFinding(String kind, String detail) {

  /** The target's D90 is below the configured fraction of the prescription. */
  public static final String UNDERDOSE = "dose-underdose";
  /** An organ at risk received more than its limit. */
  public static final String ORGAN_LIMIT = "dose-organ-limit";
}
