package io.seedtrace.detection.phantom;

/**
 * What to generate.
 *
 * @param anatomy PROSTATE (needles roughly along the slice axis) or LUNG (any orientation, air around)
 * @param seeds isolated seeds, placed along needle tracks 10 mm apart
 * @param pairs clusters of two touching seeds
 * @param triples clusters of three touching seeds
 * @param edgeCutSeeds seeds cut in half by the first or last slice
 * @param distractors bone, calcifications, a surgical clip and a gold fiducial
 * @param streaks metal artefacts, simulated per slice from the metal alone: forward projection,
 *     beam hardening and photon-starvation noise on the rays through metal, and filtered
 *     back-projection of the perturbation (dark bands between metal objects, bright and dark radial
 *     streaks); see {@link MetalStreaks}
 */
public record PhantomSpec(Anatomy anatomy, int nx, int ny, int nz, double pixelMm, double sliceMm, int seeds,
    int pairs, int triples, int edgeCutSeeds, boolean distractors, boolean streaks, double noiseHu, long randomSeed) {

  public enum Anatomy { PROSTATE, LUNG }

  public int totalSeeds() {
    return seeds + 2 * pairs + 3 * triples;
  }
}
