package io.seedtrace.detection.fusion;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.plan.RigidTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
 * plus the coarse copies of the two volumes (the finest level reads the scans' own arrays). Finally
 * the finest level is searched again from four starts 2 mm and 2 degrees off the answer, each with
 * a fresh draw of samples; the best answer is kept and the spread of the five is reported
 * ({@link FusionResult#restartSpreadMm()}).
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
  private static final double RESTART_OFFSET = 2;
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
    LevelGrid ctLevel = null;
    LevelGrid mrLevel = null;
    for (int l = 0; l < spacings.length; l++) {
      ctLevel = l == 0 ? ctCoarse : LevelGrid.of(ct, spacings[l]);
      mrLevel = l == 0 ? mrCoarse : LevelGrid.of(mr, spacings[l]);
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
    Restarts restarts = restart(level, ctLevel, mrLevel, p, centre, deadline);
    p = restarts.best();
    evaluations += restarts.evaluations();
    double nmi = -level.cost(p);
    if (level.lastOverlap() < SampledLevel.MIN_OVERLAP) {
      throw new FusionException(String.format(java.util.Locale.ROOT, "MR and CT overlap by only %.0f%% of the CT"
          + " at the best motion found: the MR does not cover the CT's anatomy", 100 * level.lastOverlap()));
    }
    RigidTransform mrToCt = level.ctToMr(p).inverse();
    return new FusionResult(mrToCt, sameFrameOfReference ? FusionResult.SAME_FRAME : FusionResult.CENTRES_OF_MASS,
        nmi, level.lastOverlap(), restarts.spreadMm(), evaluations, (System.nanoTime() - t0) / 1_000_000);
  }

  private record Restarts(double[] best, double spreadMm, int evaluations) {}

  /**
   * Searches the finest level again from {@value #RESTART_OFFSET} mm and degrees off the answer in
   * four directions, each time with a fresh draw of samples. The best of the five answers (by the
   * first draw's measure) is kept, and their spread (the largest distance between where an answer
   * and the best put the corners of a 60 mm cube about the CT body's centre) says how well this
   * pair pins the motion down, whatever the draw and the start.
   */
  private Restarts restart(SampledLevel level, LevelGrid ct, LevelGrid mr, double[] p, double[] centre,
      long deadline) throws FusionException {
    double[][] signs = {{1, 1, 1, 1, 1, 1}, {-1, -1, -1, -1, -1, -1}, {1, -1, 1, -1, 1, -1}, {-1, 1, -1, 1, -1, 1}};
    List<double[]> answers = new ArrayList<>(List.of(p));
    int evaluations = 0;
    for (int r = 0; r < signs.length; r++) {
      double[] start = p.clone();
      for (int k = 0; k < 6; k++) {
        start[k] += RESTART_OFFSET * signs[r][k] * SCALES[k];
      }
      SampledLevel draw = new SampledLevel(ct, mr, centre, settings.maxSamplesPerLevel(), settings.bins(),
          settings.seed() + 1000 + r, deadline);
      PatternSearch search = new PatternSearch(draw::cost, SCALES);
      try {
        answers.add(search.minimise(start, 1, FINAL_STEP));
      } catch (PatternSearch.OutOfTime late) {
        throw new FusionException("MR-to-CT registration did not finish within " + settings.budget().toMillis()
            + " ms (restarts on the finest level) and was stopped");
      }
      evaluations += search.evaluations();
    }
    double[] best = answers.stream().min(Comparator.comparingDouble(level::cost)).orElseThrow();
    evaluations += answers.size();
    RigidTransform bestMotion = level.ctToMr(best);
    double spread = 0;
    for (double[] answer : answers) {
      RigidTransform motion = level.ctToMr(answer);
      for (int c = 0; c < 8; c++) {
        double[] corner = {centre[0] + ((c & 1) == 0 ? -30 : 30), centre[1] + ((c & 2) == 0 ? -30 : 30),
            centre[2] + ((c & 4) == 0 ? -30 : 30)};
        double[] a = motion.apply(corner);
        double[] b = bestMotion.apply(corner);
        spread = Math.max(spread, Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])
            + (a[2] - b[2]) * (a[2] - b[2])));
      }
    }
    return new Restarts(best, spread, evaluations);
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
