package io.seedtrace.dosimetry;

import java.util.List;

/** Dose rate at single points by direct evaluation of the TG-43 formalism for every seed (no tables). */
public final class PointDose {

  private PointDose() {
  }

  /** Initial dose rate (cGy/h) at {@code pointMm}: the sum of every seed's contribution. */
  public static double doseRate(List<Seed> seeds, Point3 pointMm) {
    double sum = 0;
    for (Seed seed : seeds) {
      sum += seed.doseRateAt(pointMm);
    }
    return sum;
  }
}
