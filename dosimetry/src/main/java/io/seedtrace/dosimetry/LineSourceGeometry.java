package io.seedtrace.dosimetry;

/**
 * The TG-43 line-source geometry function G_L(r, theta) = beta / (L r sin theta), with beta the angle
 * the active length L subtends at the point, and 1/(r^2 - L^2/4) on the seed axis.
 */
public final class LineSourceGeometry {

  /** Below this distance from the axis (cm) the on-axis form is used. */
  private static final double ON_AXIS_CM = 1e-6;

  private LineSourceGeometry() {
  }

  /**
   * G_L in cm^-2.
   *
   * @param rCm distance from the seed centre, cm; must exceed L/2 on the axis
   * @param thetaRad polar angle from the seed axis, radians
   * @param lengthCm active length L, cm
   */
  public static double value(double rCm, double thetaRad, double lengthCm) {
    double along = rCm * Math.cos(thetaRad);
    double away = Math.abs(rCm * Math.sin(thetaRad));
    return valueAt(along, away, lengthCm);
  }

  /** G_L at along-axis coordinate {@code along} and distance {@code away} from the axis, both cm. */
  public static double valueAt(double along, double away, double lengthCm) {
    double half = lengthCm / 2;
    if (away < ON_AXIS_CM) {
      return 1.0 / (along * along - half * half);
    }
    double beta = Math.atan((along + half) / away) - Math.atan((along - half) / away);
    return beta / (lengthCm * away);
  }
}
