package io.seedtrace.server.verification;

import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.RejectedCandidate;
import io.seedtrace.detection.Seed;
import io.seedtrace.detection.plan.PositionVerification;
import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.detection.plan.SeedPair;
import io.seedtrace.routes.verification.Plan;
import io.seedtrace.routes.verification.StudyVerification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a verification found seed by seed, kept beside its FHIR report (which holds only totals) so
 * that the console can draw the seeds on the CT and list the displacements: the series' files in
 * the spool, every detected seed, every planned seed brought into the CT's frame with what became
 * of it, and what the detector was unsure of. Seeds are numbered from 1 as people read them;
 * positions are patient coordinates (LPS, mm).
 *
 * @param seriesFiles the CT series' files in the spool when it was verified
 * @param detected the detected seeds; {@code plannedSeed} null marks an extra seed
 * @param planned the planned seeds in the CT's frame, empty without a plan; {@code detectedSeed} null marks a missing one
 * @param notCounted bright objects the detector did not count as seeds, with why
 * @param minCount the smallest seed count consistent with the ambiguous clusters
 * @param maxCount the largest
 * @param ambiguousClusters clusters whose number of seeds was not certain
 * @param toleranceMm the displacement beyond which a matched seed raises an alarm
 */
public record SeedFigures(List<String> seriesFiles, List<DetectedSeed> detected, List<PlannedSeed> planned,
    List<NotCounted> notCounted, int minCount, int maxCount, int ambiguousClusters, double toleranceMm) {

  public SeedFigures {
    seriesFiles = List.copyOf(seriesFiles);
    detected = List.copyOf(detected);
    planned = List.copyOf(planned);
    notCounted = List.copyOf(notCounted);
  }

  /** A detected seed: its number is its place in the list plus one; in a cluster of {@code clusterSize} touching seeds. */
  public record DetectedSeed(double[] centre, double confidence, int clusterSize, Integer plannedSeed) {
    public boolean extra() {
      return plannedSeed == null;
    }
  }

  /** A planned seed in the CT's frame and the detected seed matched to it, if any. */
  public record PlannedSeed(double[] centre, Integer detectedSeed, Double distanceMm, boolean beyondTolerance) {
    public boolean missing() {
      return detectedSeed == null;
    }
  }

  /** A bright object that was not counted as a seed. */
  public record NotCounted(double[] centre, String reason, String details) {}

  /** The figures of a verification that ran to its end. */
  public static SeedFigures of(StudyVerification v, double toleranceMm) {
    DetectionResult detection = v.detection();
    Integer[] plannedOf = new Integer[detection.seeds().size()];
    List<PlannedSeed> planned = planned(v.plan(), v.positions(), plannedOf, toleranceMm);
    List<DetectedSeed> detected = new ArrayList<>();
    for (int i = 0; i < plannedOf.length; i++) {
      Seed s = detection.seeds().get(i);
      detected.add(new DetectedSeed(s.centre(), s.confidence(), s.clusterSize(), plannedOf[i]));
    }
    List<NotCounted> notCounted = new ArrayList<>();
    for (RejectedCandidate r : detection.rejected()) {
      notCounted.add(new NotCounted(r.centre(), r.reason().name().toLowerCase().replace('_', ' '), r.details()));
    }
    return new SeedFigures(v.event().paths().stream().map(Path::toString).toList(), detected, planned, notCounted,
        detection.minCount(), detection.maxCount(), detection.ambiguousClusters(), toleranceMm);
  }

  private static List<PlannedSeed> planned(Optional<Plan> plan, Optional<PositionVerification> positions,
      Integer[] plannedOf, double toleranceMm) {
    if (plan.isEmpty() || positions.isEmpty()) {
      return List.of();
    }
    RigidTransform toCt = positions.get().registration().transform();
    SeedPair[] pairOf = new SeedPair[plan.get().positions().size()];
    for (SeedPair p : positions.get().pairs()) {
      pairOf[p.planned()] = p;
      plannedOf[p.detected()] = p.planned() + 1;
    }
    List<PlannedSeed> planned = new ArrayList<>();
    for (int i = 0; i < pairOf.length; i++) {
      double[] centre = toCt.apply(plan.get().positions().get(i));
      SeedPair p = pairOf[i];
      planned.add(p == null ? new PlannedSeed(centre, null, null, false)
          : new PlannedSeed(centre, p.detected() + 1, p.distanceMm(), p.distanceMm() > toleranceMm));
    }
    return planned;
  }

  /** The detected seed with the given number (from 1). */
  public DetectedSeed detectedSeed(int number) {
    return detected.get(number - 1);
  }
}
