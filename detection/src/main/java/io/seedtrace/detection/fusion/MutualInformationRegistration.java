package io.seedtrace.detection.fusion;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.plan.RigidTransform;

/**
 * Finds the rigid motion that lays an MR onto a CT of the same patient by maximising the normalised
 * mutual information of their intensities ({@link JointHistogram}), coarse to fine.
 *
 * <p>Levels coarser than a twelfth of the CT's shortest side are skipped (a small field of view
 * would have too few voxels there to tell its structures apart). The search starts from the scanners' own coordinates when both series share a Frame of
 * Reference, otherwise with the centres of mass of the two bodies laid on each other. On each level
 * of {@link FusionSettings#levelSpacingsMm()} both volumes are averaged to that voxel size, at most
 * {@link FusionSettings#maxSamplesPerLevel()} CT voxels are drawn, and a Hooke-Jeeves
 * {@link PatternSearch} over six parameters (three translations in mm, a rotation vector in degrees
 * about the CT body's centre) moves from the previous level's answer with steps from the level's
 * voxel size down to a sixteenth of it (0.05 mm and 0.05 degrees on the last level). Sample MR values
 * are interpolated trilinearly. Time is bounded by the settings' budget and memory by the samples
 * plus the coarse copies of the two volumes (the finest level reads the scans' own arrays).
 *
 * <p>The MR is passed as a {@link CtScan} grid: its geometry is what matters, and its voxel values
 * are the MR signal, with no Hounsfield meaning.
 *
 * <pre>{@code
 * FusionResult r = new MutualInformationRegistration(FusionSettings.defaults()).register(ct, mr, false);
 * double[] onCt = r.mrToCt().apply(pointOnMr);
 * }</pre>
 */
public final class MutualInformationRegistration {

  /** A rotation step of one degree per millimetre of translation step: about the same motion at 60 mm from the centre. */
  private static final double[] SCALES = {1, 1, 1, 1, 1, 1};
  private static final double FINAL_STEP = 0.05;
  private static final int MIN_VOXELS_PER_AXIS = 4;
  private static final int MIN_VOXELS_PER_LEVEL_AXIS = 12;

  private final FusionSettings settings;

  public MutualInformationRegistration(FusionSettings settings) {
    this.settings = settings;
  }

  /**
   * @param sameFrameOfReference both series carry the same Frame of Reference UID (same scanner
   *     session): their patient coordinates are the start
   * @throws FusionException if a volume is too thin or has no contrast, if the volumes do not
   *     overlap at the result, or if the budget ran out
   */
  public FusionResult register(CtScan ct, CtScan mr, boolean sameFrameOfReference) throws FusionException {
    long t0 = System.nanoTime();
    long deadline = t0 + settings.budget().toNanos();
    check(ct, "CT");
    check(mr, "MR");
    double[] spacings = usableLevels(ct, settings.levelSpacingsMm());
    LevelGrid ctCoarse = LevelGrid.of(ct, spacings[0]);
    LevelGrid mrCoarse = LevelGrid.of(mr, spacings[0]);
    double[] centre = ctCoarse.centreAbove(foreground(ctCoarse, "CT"));
    double[] p = new double[6];
    if (!sameFrameOfReference) {
      double[] mrCentre = mrCoarse.centreAbove(foreground(mrCoarse, "MR"));
      for (int a = 0; a < 3; a++) {
        p[a] = mrCentre[a] - centre[a];
      }
    }
    int evaluations = 0;
    SampledLevel level = null;
    for (int l = 0; l < spacings.length; l++) {
      LevelGrid ctLevel = l == 0 ? ctCoarse : LevelGrid.of(ct, spacings[l]);
      LevelGrid mrLevel = l == 0 ? mrCoarse : LevelGrid.of(mr, spacings[l]);
      level = new SampledLevel(ctLevel, mrLevel, centre, settings.maxSamplesPerLevel(), settings.bins(),
          settings.seed() + l, deadline);
      PatternSearch search = new PatternSearch(level::cost, SCALES);
      double minStep = l == spacings.length - 1 ? FINAL_STEP : spacings[l] / 16;
      try {
        p = search.minimise(p, Math.max(spacings[l], 2 * minStep), minStep);
      } catch (PatternSearch.OutOfTime late) {
        throw new FusionException("MR-to-CT registration did not finish within " + settings.budget().toMillis()
            + " ms (level " + (l + 1) + " of " + spacings.length + ") and was stopped");
      }
      evaluations += search.evaluations() + 1;
    }
    double nmi = -level.cost(p);
    if (level.lastOverlap() < SampledLevel.MIN_OVERLAP) {
      throw new FusionException(String.format(java.util.Locale.ROOT, "MR and CT overlap by only %.0f%% of the CT"
          + " at the best motion found: the MR does not cover the CT's anatomy", 100 * level.lastOverlap()));
    }
    RigidTransform mrToCt = level.ctToMr(p).inverse();
    return new FusionResult(mrToCt, sameFrameOfReference ? FusionResult.SAME_FRAME : FusionResult.CENTRES_OF_MASS,
        nmi, level.lastOverlap(), evaluations, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * The levels whose voxels fit at least {@value #MIN_VOXELS_PER_LEVEL_AXIS} times along the CT's
   * shortest side, and always the finest: a coarser level of a small field of view has too few
   * voxels to tell its structures apart and can lead the search astray.
   */
  static double[] usableLevels(CtScan ct, double[] spacings) {
    double shortest = Math.min(ct.nx() * ct.dx(), Math.min(ct.ny() * ct.dy(), ct.nz() * ct.dz()));
    double[] usable = java.util.stream.IntStream.range(0, spacings.length)
        .filter(l -> l == spacings.length - 1 || shortest >= MIN_VOXELS_PER_LEVEL_AXIS * spacings[l])
        .mapToDouble(l -> spacings[l]).toArray();
    return usable;
  }

  private static void check(CtScan scan, String what) throws FusionException {
    if (scan.nx() < MIN_VOXELS_PER_AXIS || scan.ny() < MIN_VOXELS_PER_AXIS || scan.nz() < MIN_VOXELS_PER_AXIS) {
      throw new FusionException(what + " volume of " + scan.nx() + " x " + scan.ny() + " x " + scan.nz()
          + " voxels is too thin for a 3-D registration (at least " + MIN_VOXELS_PER_AXIS + " per axis)");
    }
  }

  /** A threshold 15% of the way from the dark to the bright end: air below, the body above. */
  private static double foreground(LevelGrid grid, String what) throws FusionException {
    double[] range = SampledLevel.range(SampledLevel.subsample(grid.values, new java.util.SplittableRandom(1)));
    if (!(range[1] > range[0])) {
      throw new FusionException(what + " volume has no contrast (all voxels near " + range[0] + ")");
    }
    return range[0] + 0.15 * (range[1] - range[0]);
  }
}
