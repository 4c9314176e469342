package io.seedtrace.detection;

/**
 * Tuning of the detector. {@link #defaults()} suits I-125 titanium seeds (0.8 x 4.5 mm); every
 * value is explained in docs/detection.md.
 *
 * @param threads worker threads for the voxel pass
 * @param ringRadiusMm radius of the ring of background points around a candidate voxel (larger
 *     than half a blurred seed, smaller than the gap between seeds on a needle)
 * @param coreContrastHu smallest contrast over the ring for a core voxel (raised to 7 x the noise
 *     of a noisy scan)
 * @param marginMm how far around its core voxels an object's contrast is integrated
 * @param seedLengthMm the seed's physical length
 * @param minSeedMassHuMm3 smallest integrated contrast a single seed can have; smaller objects
 *     (calcifications, thin clips) never calibrate the seed size
 * @param goldPeakRatio objects whose peak contrast exceeds this multiple of the 90th percentile of
 *     single seeds' peaks are gold fiducials
 * @param clipLengthRatio single objects longer than this multiple of a seed, once the blur is taken
 *     out, are surgical clips
 * @param boneExtentMm core groups larger than this in any direction are bone
 */
public record DetectorSettings(int threads, double ringRadiusMm, int coreContrastHu, double marginMm,
    double seedLengthMm, double minSeedMassHuMm3, double goldPeakRatio, double clipLengthRatio, double boneExtentMm) {

  public DetectorSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
  }

  public static DetectorSettings defaults() {
    return new DetectorSettings(Runtime.getRuntime().availableProcessors(), 5.0, 250, 2.5, 4.5, 15000, 3.0, 1.6, 60);
  }

  public DetectorSettings withThreads(int n) {
    return new DetectorSettings(n, ringRadiusMm, coreContrastHu, marginMm, seedLengthMm, minSeedMassHuMm3,
        goldPeakRatio, clipLengthRatio, boneExtentMm);
  }
}
