package io.seedtrace.detection;

/**
 * Tuning of the detector. {@link #defaults()} suits I-125 titanium seeds (0.8 x 4.5 mm) on CT with
 * an extended HU scale; every value is documented in docs/detection.md.
 *
 * @param thresholdHu voxels above this are metal candidates
 * @param threads worker threads for the voxel scan
 * @param minPeakRatio objects whose peak is below this fraction of the typical seed peak are
 *     calcification or bone
 * @param goldPeakRatio objects whose peak exceeds this multiple of the typical seed peak are gold
 * @param clipLengthRatio elongated objects longer than this multiple of a seed, with a low peak, are clips
 */
public record DetectorSettings(int thresholdHu, int threads, double minPeakRatio, double goldPeakRatio,
    double clipLengthRatio) {

  public DetectorSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
  }

  public static DetectorSettings defaults() {
    return new DetectorSettings(1200, Runtime.getRuntime().availableProcessors(), 0.45, 1.7, 1.6);
  }

  public DetectorSettings withThreads(int n) {
    return new DetectorSettings(thresholdHu, n, minPeakRatio, goldPeakRatio, clipLengthRatio);
  }
}
