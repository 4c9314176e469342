package io.seedtrace.dosimetry;

import java.util.Objects;
import java.util.Optional;

/**
 * One implanted seed: its model, centre (mm), axis direction if known, and air-kerma strength S_K at
 * the implant time in U (1 U = 1 uGy m^2/h = 1 cGy cm^2/h).
 *
 * @param axis unit vector along the seed, or {@code null} when the axis is unknown (the dose then uses
 *     the 1-D point-source approximation)
 */
public record Seed(SeedModel model, Point3 centreMm, Point3 axis, double airKermaStrengthU) {

  public Seed {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(centreMm, "centreMm");
    if (axis != null) {
      axis = axis.unit();
    }
    if (!(airKermaStrengthU >= 0) || Double.isInfinite(airKermaStrengthU)) {
      throw new IllegalArgumentException("air-kerma strength must be finite and >= 0, got " + airKermaStrengthU);
    }
  }

  /** A seed whose axis is unknown. */
  public static Seed withoutAxis(SeedModel model, Point3 centreMm, double airKermaStrengthU) {
    return new Seed(model, centreMm, null, airKermaStrengthU);
  }

  public Optional<Point3> knownAxis() {
    return Optional.ofNullable(axis);
  }

  /** Dose rate in water at {@code pointMm}, cGy/h, from this seed alone. */
  public double doseRateAt(Point3 pointMm) {
    double dx = (pointMm.x() - centreMm.x()) / 10;
    double dy = (pointMm.y() - centreMm.y()) / 10;
    double dz = (pointMm.z() - centreMm.z()) / 10;
    double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (axis == null) {
      return airKermaStrengthU * model.pointSourceDoseRatePerSk(r);
    }
    double along = r == 0 ? 0 : (dx * axis.x() + dy * axis.y() + dz * axis.z()) / r;
    double theta = Math.acos(Math.max(-1, Math.min(1, along)));
    return airKermaStrengthU * model.doseRatePerSk(r, r == 0 ? Math.PI / 2 : theta);
  }
}
