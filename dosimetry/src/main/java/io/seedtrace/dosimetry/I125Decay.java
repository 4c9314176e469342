package io.seedtrace.dosimetry;

import java.time.Duration;
import java.time.Instant;

/**
 * I-125 decay: air-kerma strength from a calibrated apparent activity, decay correction to the implant
 * time, and the dose of a permanent implant (to infinity or in a time window).
 *
 * <pre>{@code
 * double sk = I125Decay.airKermaStrengthFromApparentActivity(0.40, I125Decay.U_PER_MCI_TG43);
 * double atImplant = I125Decay.decayCorrected(sk, calibrationTime, implantTime);
 * double gy = I125Decay.totalDoseGy(initialRateCgyPerHour);
 * }</pre>
 */
public final class I125Decay {

  /** Half-life of I-125 used by TG-43U1, days. */
  public static final double HALF_LIFE_DAYS = 59.40;

  /** Mean life tau = T1/2 / ln 2, hours (about 2057 h). */
  public static final double MEAN_LIFE_HOURS = HALF_LIFE_DAYS * 24 / Math.log(2);

  /**
   * S_K per unit apparent activity for I-125, U/mCi: the exposure-rate constant 1.45 R cm^2/(mCi h) of
   * TG-43 (Nath et al., Med. Phys. 22(2), 1995) times W/e = 0.876 cGy/R. TG-43U1 asks that a vendor's
   * apparent activity be converted back with the same factor the vendor used; pass that one if it differs.
   */
  public static final double U_PER_MCI_TG43 = 1.270;

  private I125Decay() {
  }

  /** S_K (U) from an apparent activity (mCi) and the conversion factor (U/mCi). */
  public static double airKermaStrengthFromApparentActivity(double apparentActivityMci, double uPerMci) {
    if (!(apparentActivityMci >= 0) || !(uPerMci > 0)) {
      throw new IllegalArgumentException("activity must be >= 0 and the factor > 0, got "
          + apparentActivityMci + " mCi, " + uPerMci + " U/mCi");
    }
    return apparentActivityMci * uPerMci;
  }

  /** S_K at {@code implant} from S_K at {@code calibration} (either order: decays forward, grows backward). */
  public static double decayCorrected(double airKermaStrengthU, Instant calibration, Instant implant) {
    double hours = Duration.between(calibration, implant).toMillis() / 3_600_000.0;
    return airKermaStrengthU * Math.exp(-hours / MEAN_LIFE_HOURS);
  }

  /** Dose (Gy) delivered from the implant time to infinity by an initial dose rate in cGy/h. */
  public static double totalDoseGy(double initialRateCgyPerHour) {
    return initialRateCgyPerHour * MEAN_LIFE_HOURS / 100;
  }

  /**
   * Dose (Gy) delivered between {@code fromHours} and {@code toHours} after the implant (toHours may be
   * {@link Double#POSITIVE_INFINITY}).
   */
  public static double doseInWindowGy(double initialRateCgyPerHour, double fromHours, double toHours) {
    if (!(fromHours >= 0) || !(toHours >= fromHours)) {
      throw new IllegalArgumentException("need 0 <= from <= to, got " + fromHours + ", " + toHours);
    }
    double fraction = Math.exp(-fromHours / MEAN_LIFE_HOURS) - Math.exp(-toHours / MEAN_LIFE_HOURS);
    return initialRateCgyPerHour * MEAN_LIFE_HOURS * fraction / 100;
  }
}
