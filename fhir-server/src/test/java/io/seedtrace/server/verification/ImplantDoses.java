package io.seedtrace.server.verification;

import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.Seed;
import io.seedtrace.dosimetry.SeedModel;
import io.seedtrace.dosimetry.dvh.Contour;
import io.seedtrace.dosimetry.dvh.DoseLimits;
import io.seedtrace.dosimetry.dvh.DvhPlot;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import io.seedtrace.dosimetry.dvh.Structure;
import io.seedtrace.routes.verification.DoseOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * A dose computed at test time on a made-up implant: a 40 mm "Prostate" sphere, a 3 mm "Urethra"
 * and an 8 mm "Rectum" behind it, outlined every 2 mm; 6711 seeds of 0.5 U on a 10 mm lattice.
 */
public final class ImplantDoses {

  public static final String STRUCTURE_SET_UID = "1.2.826.0.1.3680043.10.543.88.1";

  private ImplantDoses() {}

  public static StructureSetContours structures(String frame) {
    return new StructureSetContours(frame, STRUCTURE_SET_UID, List.of(
        new StructureSetContours.Roi(11, "Prostate", slices(0, 0, 20, true)),
        new StructureSetContours.Roi(12, "Urethra", slices(0, 0, 3, false)),
        new StructureSetContours.Roi(13, "Rectum", slices(0, 32, 8, false))));
  }

  public static DoseOutcome dose(String frame, double prescriptionGy) {
    StructureSetContours contours = structures(frame);
    List<Structure> structures = new ArrayList<>();
    for (StructureSetContours.Roi roi : contours.rois()) {
      structures.add(new Structure(roi.name(), roi.contours().stream().map(Contour::ofPoints).toList()));
    }
    SeedModel model = SeedModel.load("oncoseed-6711");
    List<Seed> seeds = new ArrayList<>();
    for (int x = -15; x <= 15; x += 10) {
      for (int y = -15; y <= 15; y += 10) {
        for (int z = -15; z <= 15; z += 10) {
          if (Math.sqrt(x * x + y * y + z * z) <= 19 && Math.hypot(x, y) >= 6) {
            seeds.add(new Seed(model, new Point3(x, y, z), new Point3(0, 0, 1), 0.5));
          }
        }
      }
    }
    ImplantDosimetry.Settings d = ImplantDosimetry.Settings.defaults();
    DoseLimits l = DoseLimits.defaults();
    ImplantDosimetry.Result result = new ImplantDosimetry(new ImplantDosimetry.Settings(d.gridSpacingMm(),
        d.marginMm(), d.names(), new DoseLimits(prescriptionGy, l.underdoseFraction(), l.urethraD10MaxFraction(),
            l.urethraD30MaxFraction(), l.rectumD2ccMaxGy(), l.rectumV100MaxCc()), d.maxVoxels(), d.maxVertices()))
        .evaluate(seeds, structures);
    return new DoseOutcome(result, contours, "oncoseed-6711", 0.5, java.time.Instant.parse("2026-12-01T09:00:00Z"),
        prescriptionGy,
        DvhPlot.png(List.copyOf(result.dvhs().values()), prescriptionGy), List.of("a test implant"));
  }

  private static List<double[]> slices(double cx, double cy, double r, boolean sphere) {
    List<double[]> out = new ArrayList<>();
    for (int z = -19; z <= 19; z += 2) {
      double rho = sphere ? Math.sqrt(r * r - z * z) : r;
      double[] c = new double[3 * 48];
      for (int i = 0; i < 48; i++) {
        c[3 * i] = cx + rho * Math.cos(2 * Math.PI * i / 48);
        c[3 * i + 1] = cy + rho * Math.sin(2 * Math.PI * i / 48);
        c[3 * i + 2] = z;
      }
      out.add(c);
    }
    return out;
  }
}
