package io.seedtrace.detection;

import java.util.List;
import java.util.Map;

/**
 * What the detector found.
 *
 * @param minCount the smallest count consistent with the ambiguous clusters
 * @param maxCount the largest
 * @param ambiguousClusters clusters whose seed number could not be decided with confidence
 * @param singleSeedMass the size of one seed as calibrated on this scan: its intensity above the
 *     threshold integrated over its voxels (HU x mm3)
 * @param timingsMillis stage name to milliseconds, in order
 */
public record DetectionResult(List<Seed> seeds, List<RejectedCandidate> rejected, int minCount, int maxCount,
    int ambiguousClusters, double singleSeedMass, Map<String, Double> timingsMillis) {

  public DetectionResult {
    seeds = List.copyOf(seeds);
    rejected = List.copyOf(rejected);
    timingsMillis = Map.copyOf(timingsMillis);
  }

  public int count() {
    return seeds.size();
  }

  public boolean countIsCertain() {
    return ambiguousClusters == 0;
  }
}
