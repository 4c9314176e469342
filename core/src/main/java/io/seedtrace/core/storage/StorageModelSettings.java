package io.seedtrace.core.storage;

/**
 * Parameters of the storage model (MISSION.md stage 2, claim 2).
 *
 * @param populationSize N, historical batches drawn from the history
 * @param usedInPopulation K, how many of them must be batches that were used in surgery (K <= N)
 * @param initialBins how many equal ranges each numeric element starts with
 * @param averageThreshold refinement goes on while the average influence value stays above this
 * @param judgementThreshold a sub-element whose use probability M_x/M_y is below this is deleted
 * @param retentionThreshold P at or above this: the seeds stay at the hospital
 * @param maxIterations upper bound on G
 * @param randomSeed seed of the random draw of the population (deterministic for a fixed seed)
 */
public record StorageModelSettings(int populationSize, int usedInPopulation, int initialBins, double averageThreshold,
    double judgementThreshold, int retentionThreshold, int maxIterations, long randomSeed) {

  public StorageModelSettings {
    if (populationSize < 1 || usedInPopulation < 0 || usedInPopulation > populationSize) {
      throw new IllegalArgumentException("need 0 <= K <= N and N >= 1, got N=" + populationSize + ", K=" + usedInPopulation);
    }
    if (initialBins < 1 || maxIterations < 1) {
      throw new IllegalArgumentException("initialBins and maxIterations must be positive");
    }
    if (retentionThreshold < 0 || retentionThreshold > Batch.ELEMENTS) {
      throw new IllegalArgumentException("retention threshold must be 0-5");
    }
  }

  public static StorageModelSettings defaults() {
    return new StorageModelSettings(200, 120, 4, 0.5, 0.3, 4, 10, 2026);
  }
}
