package io.seedtrace.dosimetry.dvh;

/**
 * The prescription and the limits a post-implant dose is judged by. Defaults for I-125 prostate
 * monotherapy; the sources are in docs/dosimetry.md:
 * <ul>
 *   <li>prescription 145 Gy (AAPM TG-64 / ABS);
 *   <li>underdose when D90 &lt; 90 % of the prescription (ABS 2012 calls D90 &lt; 90 % a poor implant);
 *   <li>urethra D10 &lt;= 150 % and D30 &lt;= 130 % of the prescription (GEC-ESTRO, Salembier et al. 2007);
 *   <li>rectum D2cc &lt;= 145 Gy (GEC-ESTRO 2007) and V100 &lt;= 1 cc (ABS 2012).
 * </ul>
 *
 * @param prescriptionGy the prescribed dose (dose to infinity), Gy
 * @param underdoseFraction D90 below this fraction of the prescription is an underdose
 * @param urethraD10MaxFraction urethra D10 above this fraction of the prescription exceeds the limit
 * @param urethraD30MaxFraction urethra D30 above this fraction of the prescription exceeds the limit
 * @param rectumD2ccMaxGy rectum D2cc above this exceeds the limit, Gy
 * @param rectumV100MaxCc rectum volume receiving the prescription above this exceeds the limit, cm^3
 */
public record DoseLimits(double prescriptionGy, double underdoseFraction, double urethraD10MaxFraction,
    double urethraD30MaxFraction, double rectumD2ccMaxGy, double rectumV100MaxCc) {

  public DoseLimits {
    if (!(prescriptionGy > 0) || !(underdoseFraction > 0) || !(urethraD10MaxFraction > 0)
        || !(urethraD30MaxFraction > 0) || !(rectumD2ccMaxGy > 0) || !(rectumV100MaxCc >= 0)) {
      throw new IllegalArgumentException("dose limits must be positive: " + prescriptionGy + " Gy, "
          + underdoseFraction + ", " + urethraD10MaxFraction + ", " + urethraD30MaxFraction + ", "
          + rectumD2ccMaxGy + " Gy, " + rectumV100MaxCc + " cc");
    }
  }

  /** 145 Gy; 0.9; 1.5; 1.3; 145 Gy; 1 cc. */
  public static DoseLimits defaults() {
    return new DoseLimits(145, 0.9, 1.5, 1.3, 145, 1.0);
  }
}
