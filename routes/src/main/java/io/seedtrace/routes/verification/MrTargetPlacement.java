package io.seedtrace.routes.verification;

import io.seedtrace.detection.fusion.FusionResult;
import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dosimetry.dvh.Structure;
import io.seedtrace.dosimetry.dvh.StructureNames;
import io.seedtrace.dosimetry.dvh.StructureRole;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the detected seeds lie relative to the target outlined on the MR, once the MR is registered
 * to the CT: each seed is taken into MR coordinates (the inverse of the registration) and tested
 * against the outlines there, where they are planar as drawn. One sentence for the conclusion.
 */
final class MrTargetPlacement {

  /** The registration's error on generated pelvis pairs (docs/fusion.md), quoted with every fusion. */
  static final String PHANTOM_ERROR = "error at most 0.3 mm and 0.2 degrees on generated pelvis pairs;"
      + " a prostate that moved against the bones between the scans is not followed";

  /**
   * @param inside seeds inside the target's outlines
   * @param worstOutsideMm largest distance of an outside seed to the outlined target, 0 if none is outside
   */
  record Placement(String target, int seeds, int inside, double worstOutsideMm) {}

  private MrTargetPlacement() {}

  /** The placement of {@code seedsOnCt} against the target of {@code contours}, if it names one. */
  static Optional<Placement> place(RigidTransform mrToCt, StructureSetContours contours, List<double[]> seedsOnCt,
      StructureNames names) {
    Optional<Structure> target = target(contours, names);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    RigidTransform ctToMr = mrToCt.inverse();
    int inside = 0;
    double worst = 0;
    for (double[] seed : seedsOnCt) {
      double[] p = ctToMr.apply(seed);
      if (target.get().contains(p[0], p[1], p[2])) {
        inside++;
      } else {
        worst = Math.max(worst, target.get().distanceFromOutsideMm(p[0], p[1], p[2]));
      }
    }
    return Optional.of(new Placement(target.get().name(), seedsOnCt.size(), inside, worst));
  }

  /** The sentence for the conclusion. */
  static String sentence(String mrSeries, FusionResult fusion, StructureSetContours contours, List<double[]> seedsOnCt,
      StructureNames names) {
    String registered = String.format(Locale.ROOT, "MR fusion: the MR series %s was registered to this CT by mutual"
        + " information (start: %s, normalised MI %.3f, overlap %.0f %%, %.1f s; restarts 2 mm and 2 degrees off"
        + " agree within %.1f mm; %s)", mrSeries, fusion.start(), fusion.normalisedMutualInformation(),
        100 * fusion.overlap(), fusion.elapsedMillis() / 1000.0, fusion.restartSpreadMm(), PHANTOM_ERROR);
    Optional<Placement> placed = place(fusion.mrToCt(), contours, seedsOnCt, names);
    if (placed.isEmpty()) {
      return registered + "; its structure set names no target (" + contours.rois().stream()
          .map(StructureSetContours.Roi::name).toList() + "), so the seeds were not placed against one.";
    }
    Placement p = placed.get();
    String outside = p.inside() == p.seeds() ? "none outside"
        : String.format(Locale.ROOT, "%d outside, up to %.1f mm from it", p.seeds() - p.inside(),
            p.worstOutsideMm());
    return String.format(Locale.ROOT, "%s. Against the MR-contoured %s: %d of %d seeds inside, %s.", registered,
        p.target(), p.inside(), p.seeds(), outside);
  }

  /** The structure of the target role (prostate, CTV, PTV by the dose settings' names), from its axial outlines. */
  private static Optional<Structure> target(StructureSetContours contours, StructureNames names) {
    for (StructureSetContours.Roi roi : contours.rois()) {
      if (names.roleOf(roi.name()).filter(r -> r == StructureRole.TARGET).isPresent()) {
        List<Structure> usable = ComputeDose.structures(new StructureSetContours(contours.frameOfReferenceUid(),
            contours.sopInstanceUid(), List.of(roi)));
        if (!usable.isEmpty()) {
          return Optional.of(usable.get(0));
        }
      }
    }
    return Optional.empty();
  }
}
