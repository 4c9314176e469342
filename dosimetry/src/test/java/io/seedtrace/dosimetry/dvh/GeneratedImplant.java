package io.seedtrace.dosimetry.dvh;

import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.Seed;
import io.seedtrace.dosimetry.SeedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A prostate implant made up at test time: a 40 mm sphere "Prostate" (33.5 cc), a 3 mm "Urethra"
 * through it along z, a "Rectum" box 5 mm behind it (+y is posterior), and 6711 seeds on a 10 mm
 * lattice inside the prostate, none within 6 mm of the urethra, axes along z (the needle direction).
 */
final class GeneratedImplant {

  static final SeedModel ONCOSEED = SeedModel.load("oncoseed-6711");

  private GeneratedImplant() {}

  static List<Structure> structures(double rectumGapMm) {
    return List.of(Shapes.sphere("Prostate", 0, 0, 0, 20, 2.0, 96),
        Shapes.cylinder("urethra", 0, 0, 3, -19, 19, 2.0),
        Shapes.box("RECTUM", -15, 20 + rectumGapMm, 15, 35 + rectumGapMm, -25, 25, 2.0),
        Shapes.box("Femur", 60, 0, 80, 20, -10, 10, 2.0));
  }

  static List<Seed> seeds(double airKermaStrengthU) {
    List<Seed> seeds = new ArrayList<>();
    for (int x = -15; x <= 15; x += 10) {
      for (int y = -15; y <= 15; y += 10) {
        for (int z = -15; z <= 15; z += 10) {
          double r = Math.sqrt(x * x + y * y + z * z);
          if (r <= 19 && Math.hypot(x, y) >= 6) {
            seeds.add(new Seed(ONCOSEED, new Point3(x, y, z), new Point3(0, 0, 1), airKermaStrengthU));
          }
        }
      }
    }
    for (int x = -10; x <= 10; x += 10) {
      for (int y = -10; y <= 10; y += 10) {
        for (int z = -10; z <= 10; z += 10) {
          if (Math.hypot(x, y) >= 6) {
            seeds.add(new Seed(ONCOSEED, new Point3(x, y, z), new Point3(0, 0, 1), airKermaStrengthU));
          }
        }
      }
    }
    return seeds;
  }
}
