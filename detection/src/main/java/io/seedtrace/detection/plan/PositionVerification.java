package io.seedtrace.detection.plan;

import java.util.List;

/**
 * The outcome of comparing detected with planned seed positions. Indices refer to the lists given
 * to {@link PositionVerifier#verify}, starting at 0.
 *
 * @param registration how the plan was brought into the CT's frame
 * @param pairs planned seeds with their assigned detections
 * @param missing planned seeds with no detection within reach (missing or migrated)
 * @param extra detections with no planned seed within reach
 * @param score similarity score in [0, 1], see {@link PositionVerifier}
 * @param maxDisplacementMm largest distance of a matched pair; 0 without pairs
 * @param meanDisplacementMm mean distance of the matched pairs; 0 without pairs
 * @param alarms why the verification failed, one sentence each; empty when it passed
 */
public record PositionVerification(Registration registration, List<SeedPair> pairs, List<Integer> missing,
    List<Integer> extra, double score, double maxDisplacementMm, double meanDisplacementMm, List<String> alarms) {

  public PositionVerification {
    pairs = List.copyOf(pairs);
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
    alarms = List.copyOf(alarms);
  }

  public boolean passed() {
    return alarms.isEmpty();
  }
}
