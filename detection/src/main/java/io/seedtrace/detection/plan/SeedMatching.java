package io.seedtrace.detection.plan;

import java.util.List;

/**
 * The one-to-one assignment of planned to detected seeds.
 *
 * @param pairs assigned pairs, by planned index
 * @param unmatchedPlanned planned indices with no detected seed within reach: missing or migrated
 * @param unmatchedDetected detected indices with no planned seed within reach: extra (or where a
 *     migrated seed went)
 */
public record SeedMatching(List<SeedPair> pairs, List<Integer> unmatchedPlanned, List<Integer> unmatchedDetected) {

  public SeedMatching {
    pairs = List.copyOf(pairs);
    unmatchedPlanned = List.copyOf(unmatchedPlanned);
    unmatchedDetected = List.copyOf(unmatchedDetected);
  }
}
