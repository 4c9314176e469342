package io.seedtrace.detection.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares the seed positions detected on the post-operative CT with the planned ones.
 *
 * <ol>
 *   <li><b>Registration.</b> When the caller knows the plan-to-CT transform (same frame of reference:
 *       identity; a DICOM Spatial Registration: its matrix) it is used as given. Otherwise the plan is
 *       registered onto the detections by {@link PointSetRegistration}. Either way the trimmed
 *       residual is reported.
 *   <li><b>Assignment.</b> {@link SeedMatcher} pairs registered planned seeds with detections one to
 *       one, never farther apart than {@code maxPairDistanceMm}.
 *   <li><b>Score.</b> With {@code d_i} the distance of matched pair {@code i} and {@code T} the
 *       tolerance:
 *       <pre>S = sum_i max(0, 1 - d_i / (2 T)) / max(N_planned, N_detected)</pre>
 *       and {@code S = 1} when both lists are empty. A seed exactly in place counts 1, one at the
 *       tolerance 1/2, one at twice the tolerance or beyond 0; missing and extra seeds count 0
 *       through the denominator, so neither a lost seed nor an extra one can be hidden by the rest.
 *   <li><b>Alarms.</b> Score below the threshold; each matched seed beyond the tolerance; each
 *       missing planned seed; each extra detection. The verification passes when there is none.
 * </ol>
 */
public final class PositionVerifier {

  private PositionVerifier() {}

  /**
   * Verifies the detected positions against the plan.
   *
   * @param planned planned seed centres in the plan's frame, mm
   * @param detected detected seed centres in the CT's frame (patient coordinates, mm)
   * @param known the plan-to-CT transform when the frames are linked (identity for a shared Frame of
   *     Reference UID, the Spatial Registration matrix otherwise); empty to register the point sets
   * @param settings tolerance, threshold and matching limits
   */
  public static PositionVerification verify(List<double[]> planned, List<double[]> detected,
      Optional<RigidTransform> known, PositionSettings settings) {
    Objects.requireNonNull(known, "known (use Optional.empty())");
    Objects.requireNonNull(settings, "settings");
    Points.check(planned, "planned");
    Points.check(detected, "detected");
    PointSetRegistration registrar = new PointSetRegistration(settings.trimFraction());
    Registration registration;
    if (known.isPresent()) {
      registration = registrar.assess(known.get(), planned, detected);
    } else if (planned.isEmpty() || detected.isEmpty()) {
      registration = new Registration(RigidTransform.identity(), 0, 0, 0, Registration.NONE);
    } else {
      registration = registrar.register(planned, detected);
    }
    List<double[]> registered = planned.stream().map(registration.transform()::apply).toList();
    SeedMatching matching = new SeedMatcher(settings.maxPairDistanceMm()).match(registered, detected);

    double sum = 0;
    double max = 0;
    double total = 0;
    for (SeedPair pair : matching.pairs()) {
      sum += Math.max(0, 1 - pair.distanceMm() / (2 * settings.toleranceMm()));
      max = Math.max(max, pair.distanceMm());
      total += pair.distanceMm();
    }
    int denominator = Math.max(planned.size(), detected.size());
    double score = denominator == 0 ? 1 : sum / denominator;
    double mean = matching.pairs().isEmpty() ? 0 : total / matching.pairs().size();

    List<String> alarms = new ArrayList<>();
    if (score < settings.scoreThreshold()) {
      alarms.add(String.format(Locale.ROOT, "similarity score %.3f is below the threshold %.3f", score,
          settings.scoreThreshold()));
    }
    for (SeedPair pair : matching.pairs()) {
      if (pair.distanceMm() > settings.toleranceMm()) {
        alarms.add(String.format(Locale.ROOT,
            "planned seed %d is displaced by %.1f mm (detected seed %d), beyond the tolerance of %.1f mm",
            pair.planned(), pair.distanceMm(), pair.detected(), settings.toleranceMm()));
      }
    }
    for (int i : matching.unmatchedPlanned()) {
      alarms.add(String.format(Locale.ROOT,
          "planned seed %d has no detected seed within %.1f mm: missing or migrated", i,
          settings.maxPairDistanceMm()));
    }
    for (int j : matching.unmatchedDetected()) {
      double[] p = detected.get(j);
      alarms.add(String.format(Locale.ROOT,
          "detected seed %d at (%.1f, %.1f, %.1f) mm matches no planned seed: extra", j, p[0], p[1], p[2]));
    }
    return new PositionVerification(registration, matching.pairs(), matching.unmatchedPlanned(),
        matching.unmatchedDetected(), score, max, mean, alarms);
  }
}
