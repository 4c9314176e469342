package io.seedtrace.detection;

import io.seedtrace.detection.internal.Components;
import io.seedtrace.detection.internal.EqualMixture;
import io.seedtrace.detection.internal.Moments;
import io.seedtrace.detection.internal.NoiseLevel;
import io.seedtrace.detection.internal.Parallel;
import io.seedtrace.detection.internal.PointSpread;
import io.seedtrace.detection.internal.Region;
import io.seedtrace.detection.internal.RingCores;
import io.seedtrace.detection.internal.SeedMassFit;
import io.seedtrace.detection.internal.SpatialMixture;
import io.seedtrace.detection.internal.SymmetricEigen;
import io.seedtrace.detection.internal.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds I-125 seeds in a post-implant CT by local contrast: core voxels brighter than a ring of
 * points around them ({@link RingCores}), grouped into objects, each measured over its
 * neighbourhood against the local background ({@link Region}). One seed's integrated contrast and
 * the scan's blur are calibrated on the isolated seeds of this very scan; each object is then a
 * gold fiducial, a clip, a calcification, bone, a seed cut by the scan edge, or a whole number of
 * seeds, split along its axis as a mixture of equal seeds when more than one.
 *
 * <pre>{@code DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(scan);}</pre>
 */
public final class SeedDetector {

  /** Titanium seeds stay far below this on an extended HU scale; gold does not. */
  static final int GOLD_ABSOLUTE_HU = 12000;
  private static final double SHELL_MM = 3.0;
  /**
   * On a clamped scale (a plain 12-bit scale stores nothing above 3071 HU), an object whose voxels
   * at the scan's ceiling fill more than this (mm3) is a gold fiducial: a titanium seed holds
   * 2.3 mm3 of metal and, blurred, saturates at most a fraction of it; even three side by side
   * saturate less than 5 mm3. A gold marker, far denser and 1.2 mm across, saturates 10-17 mm3
   * (at a ceiling of 3071 HU; at 4095 HU 6-12 mm3).
   */
  static final double GOLD_PLATEAU_MM3 = 7.0;
  /** Fewest voxels at the ceiling that make a plateau (on an extended scale the peak is one voxel). */
  private static final int PLATEAU_VOXELS = 3;
  /**
   * Gold markers are a handful per scan (three or four for image guidance): when more objects than
   * this saturate that much, it is the seeds of this scan that do (seeds with a dense marker,
   * touching pairs), and the rule is off.
   */
  private static final int MAX_GOLD_MARKERS = 4;
  /**
   * On a clamped scale, the share of a saturated plateau's contrast added back to its object's
   * mass: under a peak of height P cut at C, the mean excess over the plateau is
   * (P - C) / ln(P / C) - C, half of C when P is about 2.2 C (a lower estimate: side-by-side seeds
   * peak at 2-3 C).
   */
  private static final double SATURATED_EXCESS = 0.5;
  /**
   * On a clamped scale a voxel's contrast can reach at most the ceiling minus the tissue under
   * it: a seed in lung keeps 900 HU more of its metal than one in soft tissue. Every voxel's
   * contrast is capped at the ceiling minus this level (soft tissue), so that seeds measure alike
   * whatever they lie in.
   */
  private static final int HEADROOM_LEVEL_HU = 100;
  /**
   * A single object whose narrowest spread in the slice plane exceeds that of the scan's single
   * seeds by this much (mm2: a cross-section about 1.6 mm across against a seed's 0.8 mm) ...
   */
  private static final double CALCIFICATION_WIDTH_MM2 = 0.15;
  /** ... and whose peak contrast is below this fraction of the seeds' median is a calcification. */
  private static final double CALCIFICATION_PEAK = 0.8;
  /** Thicker slices blur a seed's length too much to tell a long clip from a seed by its length. */
  private static final double MEASURABLE_LENGTH_SLICE_MM = 3.0;

  /**
   * A post-implant CT holds up to a few hundred seeds and as many other bright objects; more
   * separate objects than this are noise or a pattern, and measuring each would take minutes.
   */
  static final int MAX_OBJECTS = 3000;
  /**
   * The zones measured may together cover at most this multiple of the volume (each zone's box is
   * read and labelled once); more is a volume bright nearly everywhere.
   */
  static final double MAX_ZONE_COVER = 1.0;

  /**
   * An object holds at most its metal voxels over a single seed's, times this (seeds side by side
   * overlap and raise each other's voxels, seeds lying across the slices show fewer).
   */
  private static final double METAL_PER_SEED_MARGIN = 2.5;
  /**
   * The number of seeds side by side whose measured mass is {@code ratio} single seeds. Dense metal
   * side by side hardens the beam more than one seed alone does, so k seeds measure less than k:
   * about k (1 - {@value #SIDE_BY_SIDE_LOSS} (k - 1)) (two 1.8, three 2.4); the k whose expected mass
   * is nearest is taken.
   */
  private static int sideBySide(double ratio) {
    int best = 1;
    for (int k = 2; k <= 3; k++) {
      if (Math.abs(ratio - expectedSideBySide(k)) < Math.abs(ratio - expectedSideBySide(best))) {
        best = k;
      }
    }
    return best;
  }

  private static double expectedSideBySide(int k) {
    return k * (1 - SIDE_BY_SIDE_LOSS * (k - 1));
  }

  /** Share of its mass each further seed side by side loses to beam hardening. */
  private static final double SIDE_BY_SIDE_LOSS = 0.1;
  /** A cluster shorter than this many seed lengths lies side by side. */
  private static final double SIDE_BY_SIDE_LENGTH = 1.5;
  /**
   * The most a scan's blur adds (mm2) to the variance along a single seed's length, beyond the
   * slice's own: an in-plane point spread up to 1.4 mm (standard deviation), soft kernels included.
   */
  private static final double SINGLE_BLUR_ALLOWANCE_MM2 = 2.0;
  /**
   * An object whose spread across its axis (deblurred, mm2) is below this is a straight chain; above
   * it, seeds lie off the axis (a cluster, a bent strand, chains touching at an angle).
   */
  private static final double OFF_AXIS_MM2 = 0.5;
  /** No needle strand or cluster holds more seeds than this in one object. */
  static final int MAX_CHAIN_SEEDS = 24;

  private final DetectorSettings settings;

  public SeedDetector(DetectorSettings settings) {
    this.settings = settings;
  }

  /**
   * Finds the seeds of a scan. Ends in time bounded by the volume's size: every step is at most
   * O(m log m) in an object's voxel count m, a chain is split into at most as many seeds as its
   * size can hold, and a volume with more than {@value #MAX_OBJECTS} separate bright objects is
   * refused. Responds to interruption (the server stops a detection that overruns its budget).
   *
   * @throws UnusableScanException when the volume is not a CT the seeds can be counted in
   */
  public DetectionResult detect(CtScan scan) throws InterruptedException, UnusableScanException {
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    double noise = NoiseLevel.of(scan);
    int contrast = (int) Math.max(settings.coreContrastHu(), 7 * noise);
    int[] cores = RingCores.find(scan, settings.ringRadiusMm(), contrast, settings.threads());
    long t1 = System.nanoTime();
    timings.put("cores", (t1 - t0) / 1e6);

    List<int[]> groups = Components.label(cores, scan.nx(), scan.ny(), scan.nz());
    if (groups.size() > MAX_OBJECTS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are measured):"
          + " noise or a pattern rather than a post-implant CT", groups.size(), MAX_OBJECTS));
    }
    int[] margin = {(int) Math.ceil(settings.marginMm() / scan.dx()), (int) Math.ceil(settings.marginMm() / scan.dy()),
        Math.max(1, (int) Math.ceil(settings.marginMm() / scan.dz()))};
    double reach = settings.seedLengthMm() / 2 + settings.marginMm();
    List<RejectedCandidate> rejected = new ArrayList<>();
    List<Zone> zones = new ArrayList<>();
    for (int[] g : groups) {
      int[] linear = new int[g.length];
      for (int m = 0; m < g.length; m++) {
        linear[m] = cores[g[m]];
      }
      Zone z = new Zone(linear, scan, margin, reach);
      double extent = Math.max(z.coreExtentMm[0], Math.max(z.coreExtentMm[1], z.coreExtentMm[2]));
      if (extent > settings.boneExtentMm()) {
        rejected.add(new RejectedCandidate(toPatient(scan, z.coreCentroidMm), Rejection.BONE,
            String.format("bright structure %.0f mm across", extent)));
        zones.addAll(embeddedIn(linear, scan, contrast, margin, reach));
        continue;
      }
      zones.add(z);
    }
    checkCover(zones, scan);
    for (int a = 0; a < zones.size(); a++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("seed detection stopped");
      }
      for (int b = a + 1; b < zones.size(); b++) {
        if (zones.get(a).boxOverlaps(zones.get(b))) {
          zones.get(a).yieldTo(zones.get(b));
          zones.get(b).yieldTo(zones.get(a));
        }
      }
    }
    timings.put("zones", (System.nanoTime() - t1) / 1e6);
    int shellX = (int) Math.ceil(SHELL_MM / scan.dx());
    int shellY = (int) Math.ceil(SHELL_MM / scan.dy());
    double floor = 2.5 * noise;
    List<java.util.concurrent.Callable<Region>> measures = new ArrayList<>();
    for (Zone z : zones) {
      List<Zone> near = new ArrayList<>();
      for (Zone o : zones) {
        if (o != z && o.i0 <= z.i0 + z.ni + shellX && z.i0 - shellX <= o.i0 + o.ni && o.j0 <= z.j0 + z.nj + shellY
            && z.j0 - shellY <= o.j0 + o.nj && o.k0 < z.k0 + z.nk && z.k0 < o.k0 + o.nk) {
          near.add(o);
        }
      }
      measures.add(() -> new Region(z, near, scan, floor, SHELL_MM, settings.marginMm(), noise));
    }
    List<Region> regions = Parallel.run(measures, settings.threads());
    long t2 = System.nanoTime();
    timings.put("regions", (t2 - t1) / 1e6);

    for (Region r : regions) {
      r.levelOnInnerTissue(noise, scan.voxelVolumeMm3());
    }
    java.util.Set<Region> goldPlateaus = saturatedGold(regions, scan);
    restoreClamped(regions, scan.voxelVolumeMm3());
    MetalEvidence metal = MetalEvidence.of(regions, scan.dz(), settings.minSeedMassHuMm3(), goldPlateaus);
    double single = singleSeedMass(regions, noise, goldPlateaus, metal, scan.dz());
    List<double[][]> singleCovariances = new ArrayList<>();
    List<Double> singlePeaks = new ArrayList<>();
    for (Region r : regions) {
      double ratio = r.massHuMm3 / single;
      if (ratio > 0.8 && ratio < 1.2 && !r.touchesEndSlice && !goldPlateaus.contains(r)) {
        singleCovariances.add(r.moments.covariance);
        singlePeaks.add(r.peakContrast);
      }
    }
    PointSpread blur = PointSpread.learn(singleCovariances, settings.seedLengthMm());
    metal.calibrate(single, blur.varianceXy, settings.seedLengthMm(), scan);
    double[] peaks = singlePeaks.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double peak90 = peaks.length == 0 ? Double.NaN : peaks[(int) Math.floor(0.9 * (peaks.length - 1))];
    double peak50 = peaks.length == 0 ? Double.NaN : peaks[peaks.length / 2];
    double singleMetal = singleMetalVoxels(regions, single, goldPlateaus, metal);
    int ceiling = clampedCeiling(regions);

    List<Seed> seeds = new ArrayList<>();
    int ambiguous = 0;
    int minCount = 0;
    int maxCount = 0;
    int clusterId = 0;
    int[] partner = fragments(regions, single, peak90, noise, goldPlateaus);
    for (int ri = 0; ri < regions.size(); ri++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("seed detection stopped");
      }
      Region r = regions.get(ri);
      double ratio = r.massHuMm3 / single;
      double[] centre = toPatient(scan, r.moments.centre);
      if (partner[ri] >= 0) {
        Region o = regions.get(partner[ri]);
        if (o.massHuMm3 > r.massHuMm3 || (o.massHuMm3 == r.massHuMm3 && partner[ri] < ri)) {
          continue; // counted with the heavier piece of the same seed
        }
        ratio = (r.massHuMm3 + o.massHuMm3) / single;
        double[] c = new double[3];
        for (int a = 0; a < 3; a++) {
          c[a] = (r.massHuMm3 * r.moments.centre[a] + o.massHuMm3 * o.moments.centre[a]) / (r.massHuMm3 + o.massHuMm3);
        }
        centre = toPatient(scan, c);
      }
      double length = blur.length(r.moments.covariance);
      String facts = String.format("peak %d HU, contrast %.0f HU, %.2f seed-equivalents, length %.1f mm", r.peakHu,
          r.peakContrast, Double.isNaN(ratio) ? 0 : ratio, length);
      if (brighterThanSeeds(r, peak90, metal)) {
        rejected.add(new RejectedCandidate(centre, Rejection.GOLD_FIDUCIAL, facts));
        continue;
      }
      if (!metal.admits(r) && !goldPlateaus.contains(r)) {
        rejected.add(new RejectedCandidate(centre, Rejection.NO_METAL, facts + metal.why()));
        if (metal.mayBeDimSeed(r, settings.minSeedMassHuMm3())) {
          ambiguous++;
          maxCount++;
        }
        continue;
      }
      if (goldPlateaus.contains(r)) {
        rejected.add(new RejectedCandidate(centre, Rejection.GOLD_FIDUCIAL, facts + String.format(
            ", %.1f mm3 saturated at the scan's ceiling of %d HU", r.plateauVoxels * scan.voxelVolumeMm3(), r.peakHu)));
        if (metal.mode == MetalEvidence.Mode.METAL && !Double.isNaN(ratio) && ceiling <= GOLD_ABSOLUTE_HU) {
          // on a clamped scale seeds side by side with a dense marker saturate as much as a gold
          // marker: not counted, but the count may be that much higher
          ambiguous++;
          maxCount += Math.max(1, (int) Math.round(ratio));
        }
        continue;
      }
      if (r.rimContrast > Math.max(3 * noise, 0.08 * r.peakContrast)) {
        rejected.add(new RejectedCandidate(centre, Rejection.BONE,
            facts + String.format(", part of a larger structure (%.0f HU at its rim)", r.rimContrast)));
        continue;
      }
      if (Double.isNaN(ratio) || ratio * single < 0.5 * settings.minSeedMassHuMm3()) {
        rejected.add(new RejectedCandidate(centre, smallObject(length, ratio), facts));
        continue;
      }
      if (r.touchesEndSlice) {
        double zMm = r.moments.centre[2];
        double toEdge = Math.min(zMm, (scan.nz() - 1) * scan.dz() - zMm);
        double[] axis = blur.axis(r.moments.covariance);
        if (ratio < 0.75 || toEdge < 0.5 * settings.seedLengthMm() * Math.abs(axis[2]) + 0.5 * scan.dz()) {
          rejected.add(new RejectedCandidate(centre, Rejection.CUT_BY_SCAN_EDGE, facts));
          continue;
        }
      }
      if (ratio < 0.5 && onBoundary(r, ratio, peak50)) {
        // A tissue boundary passes under it, so its contrast is partly measured against the wrong
        // tissue; it is as bright as a seed: counted as one, and the count marked uncertain.
        ambiguous++;
        maxCount++;
        clusterId++;
        seeds.add(new Seed(centre, toPatientAxis(scan, blur.axis(r.moments.covariance)), 0.3, clusterId, 1));
        continue;
      }
      if (ratio < 0.5) {
        rejected.add(new RejectedCandidate(centre, smallObject(length, ratio), facts));
        continue;
      }
      if (ratio > 3 && !Double.isNaN(peak50) && r.peakContrast < 0.3 * peak50) {
        rejected.add(new RejectedCandidate(centre, Rejection.BONE, facts));
        continue;
      }
      int n = Math.max(1, (int) Math.round(ratio));
      if (ratio >= 1.5 && length < SIDE_BY_SIDE_LENGTH * settings.seedLengthMm()) {
        n = sideBySide(ratio);
      }
      int byMass = n;
      int metalVoxels = metal.metalVoxels(r);
      if (singleMetal > 0 && metalVoxels >= 0 && n > 1) {
        // no more seeds than the object's metal holds: tissue joined to a seed (a vessel, a tumour)
        // adds mass, not metal
        n = Math.max(1, Math.min(n, (int) Math.ceil(METAL_PER_SEED_MARGIN * metalVoxels / singleMetal)));
      }
      int capacity = capacity(r.moments.covariance, blur);
      if (n > capacity) {
        rejected.add(new RejectedCandidate(centre, Rejection.NOT_A_SEED_CHAIN, facts + String.format(
            ", the mass of %d seeds in an object that can hold at most %d", n, capacity)));
        continue;
      }
      if (n == 1 && blur.varianceXy > 0 && !Double.isNaN(peak50) && r.peakContrast < CALCIFICATION_PEAK * peak50
          && blur.widthExcess(r.moments.covariance) > CALCIFICATION_WIDTH_MM2) {
        // wider across than a seed's rod (about twice its diameter once the blur is taken out) and
        // dimmer than the scan's seeds: a calcification, whose mass alone can reach a seed's in
        // thick slices
        rejected.add(new RejectedCandidate(centre, Rejection.CALCIFICATION,
            facts + String.format(", %.2f mm2 wider than a seed across", blur.widthExcess(r.moments.covariance))));
        continue;
      }
      // lengths are measured well up to 3 mm slices; in thicker ones a clip is told from a seed by
      // its metal content only
      if (n == 1 && scan.dz() <= MEASURABLE_LENGTH_SLICE_MM && !r.measuredOnInnerTissue
          && length > settings.clipLengthRatio() * settings.seedLengthMm()) {
        rejected.add(new RejectedCandidate(centre, Rejection.SURGICAL_CLIP, facts));
        continue;
      }
      // measured above a tissue inside the object: seeds in a tumour; its mass is less certain, and
      // the count may be one higher
      boolean compact = ratio >= 1.5 && length < SIDE_BY_SIDE_LENGTH * settings.seedLengthMm();
      double expected = compact ? expectedSideBySide(n) : n;
      // on a clamped scale seeds side by side with a dense marker and a gold marker both saturate:
      // such a cluster may be a marker, and the count's lower bound leaves it out
      boolean mayBeMarker = compact && ceiling != Integer.MIN_VALUE && r.peakHu == ceiling
          && r.plateauVoxels >= PLATEAU_VOXELS;
      boolean unsure = Math.abs(ratio - expected) > 0.3 || r.measuredOnInnerTissue || mayBeMarker;
      int extra = Math.max(r.measuredOnInnerTissue ? 1 : 0, byMass - n);
      clusterId++;
      int cut = 0;
      if (n == 1) {
        double confidence = clamp(1 - 1.5 * Math.abs(ratio - 1), 0.1, 1);
        seeds.add(new Seed(centre, toPatientAxis(scan, blur.axis(r.moments.covariance)), confidence, clusterId, 1));
      } else {
        List<Seed> parts = split(scan, r, n, clusterId, clamp(0.8 * (1 - Math.abs(ratio - n)), 0.1, 0.8), blur,
            rejected);
        cut = n - parts.size();
        seeds.addAll(parts);
      }
      if (unsure) {
        ambiguous++;
        minCount += mayBeMarker ? 0 : Math.min(n, Math.max(1, (int) Math.floor(ratio))) - cut;
        maxCount += Math.max((int) Math.ceil(ratio), n + extra) - cut;
      } else {
        minCount += n - cut;
        maxCount += n - cut;
      }
    }
    long t3 = System.nanoTime();
    timings.put("classify-and-split", (t3 - t2) / 1e6);
    timings.put("total", (t3 - t0) / 1e6);
    return new DetectionResult(seeds, rejected, minCount, maxCount, ambiguous, Double.isNaN(single) ? 0 : single,
        timings);
  }

  /** Refuses a volume whose zones would together cover more than {@link #MAX_ZONE_COVER} of it. */
  private static void checkCover(List<Zone> zones, CtScan scan) throws UnusableScanException {
    if (zones.size() > MAX_OBJECTS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are measured)",
          zones.size(), MAX_OBJECTS));
    }
    double covered = 0;
    for (Zone z : zones) {
      covered += (double) z.ni * z.nj * z.nk;
    }
    double volume = (double) scan.nx() * scan.ny() * scan.nz();
    if (covered > MAX_ZONE_COVER * volume + 4e6) {
      throw new UnusableScanException(String.format("bright objects around %.0f%% of the volume: not a CT in which"
          + " seeds stand out from the tissue", 100 * covered / volume));
    }
  }

  /**
   * Objects far brighter than the large structure their cores belong to (a seed lying in or on
   * bone): the structure's core voxels more than four core contrasts above its median, grouped
   * again.
   */
  private List<Zone> embeddedIn(int[] structure, CtScan scan, int contrast, int[] margin, double reach) {
    short[] hu = scan.hu();
    int[] values = new int[structure.length];
    for (int m = 0; m < structure.length; m++) {
      values[m] = hu[structure[m]];
    }
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    int bar = sorted[sorted.length / 2] + 4 * contrast;
    int[] bright = Arrays.stream(structure).filter(v -> hu[v] > bar).toArray();
    List<Zone> out = new ArrayList<>();
    for (int[] g : Components.label(bright, scan.nx(), scan.ny(), scan.nz())) {
      int[] linear = new int[g.length];
      for (int m = 0; m < g.length; m++) {
        linear[m] = bright[g[m]];
      }
      Zone z = new Zone(linear, scan, margin, reach);
      if (Math.max(z.coreExtentMm[0], Math.max(z.coreExtentMm[1], z.coreExtentMm[2])) <= settings.boneExtentMm()) {
        out.add(z);
      }
    }
    return out;
  }

  /**
   * On a clamped scale (objects' highest values stop at a common ceiling, on a plateau of at least
   * {@value #PLATEAU_VOXELS} voxels, below the gold peak of an extended scale), the objects at the
   * ceiling lost the metal above it: a lower estimate of it is added back to their mass, so that
   * seeds side by side (three saturate 3-5 mm3) are not counted one short.
   */
  private static void restoreClamped(List<Region> regions, double voxelVolumeMm3) {
    int ceiling = clampedCeiling(regions);
    if (ceiling == Integer.MIN_VALUE) {
      return;
    }
    for (Region r : regions) {
      r.capContrast(ceiling - HEADROOM_LEVEL_HU, voxelVolumeMm3);
      if (r.peakHu == ceiling) {
        r.restoreSaturated(SATURATED_EXCESS);
      }
    }
  }

  /**
   * The scan's ceiling when its scale is clamped (the objects' highest value held by a plateau of
   * at least {@value #PLATEAU_VOXELS} voxels in some object: 3071 or 4095 on a 12-bit scale, the
   * top of an extended scale where a gold marker saturates it), else {@link Integer#MIN_VALUE}.
   */
  private static int clampedCeiling(List<Region> regions) {
    int ceiling = Integer.MIN_VALUE;
    for (Region r : regions) {
      ceiling = Math.max(ceiling, r.peakHu);
    }
    for (Region r : regions) {
      if (r.peakHu == ceiling && r.plateauVoxels >= PLATEAU_VOXELS) {
        return ceiling;
      }
    }
    return Integer.MIN_VALUE;
  }

  /**
   * Gold fiducials on a clamped scale, where their peak no longer tells them: the objects whose
   * highest value is the scan's ceiling (the highest value of all objects, below the gold peak of
   * an extended scale), held by a plateau of at least {@value #PLATEAU_VOXELS} voxels filling more
   * than {@value #GOLD_PLATEAU_MM3} mm3; none when more than a handful of objects do (then the
   * seeds themselves saturate that much).
   */
  private java.util.Set<Region> saturatedGold(List<Region> regions, CtScan scan) {
    java.util.Set<Region> gold = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    int ceiling = clampedCeiling(regions);
    if (ceiling == Integer.MIN_VALUE) {
      return gold;
    }
    // a marker is no longer than a seed: a longer saturated object is seeds side by side or end to end
    double longest = settings.seedLengthMm() * settings.seedLengthMm() / 12 + scan.dz() * scan.dz() / 12
        + SINGLE_BLUR_ALLOWANCE_MM2;
    int saturated = 0;
    for (Region r : regions) {
      if (r.peakHu == ceiling && r.plateauVoxels >= PLATEAU_VOXELS
          && r.plateauVoxels * scan.voxelVolumeMm3() > GOLD_PLATEAU_MM3) {
        saturated++;
        if (new SymmetricEigen(r.moments.covariance).values[0] <= longest) {
          gold.add(r);
        }
      }
    }
    if (saturated > MAX_GOLD_MARKERS) {
      gold.clear();
    }
    return gold;
  }

  /**
   * Pieces of one seed whose core voxels a tissue boundary split into two groups (a seed crossing
   * from lung into soft tissue): two objects each lighter than three quarters of a seed, closer
   * than a seed's length, that together hold one seed's mass (0.75-1.3). For each object, its
   * partner piece (nearest such), or -1.
   */
  private int[] fragments(List<Region> regions, double single, double peak90, double noise,
      java.util.Set<Region> gold) {
    int[] partner = new int[regions.size()];
    Arrays.fill(partner, -1);
    if (Double.isNaN(single)) {
      return partner;
    }
    double[] best = new double[regions.size()];
    Arrays.fill(best, Double.MAX_VALUE);
    double reach = settings.seedLengthMm();
    for (int a = 0; a < regions.size(); a++) {
      Region ra = regions.get(a);
      if (!pieceOfSeed(ra, single, peak90, noise) || gold.contains(ra)) {
        continue;
      }
      for (int b = a + 1; b < regions.size(); b++) {
        Region rb = regions.get(b);
        if (!pieceOfSeed(rb, single, peak90, noise) || gold.contains(rb)) {
          continue;
        }
        double d = distance(ra.moments.centre, rb.moments.centre);
        double sum = (ra.massHuMm3 + rb.massHuMm3) / single;
        if (d < reach && sum >= 0.75 && sum <= 1.3 && d < best[a] && d < best[b]) {
          if (partner[a] >= 0) {
            partner[partner[a]] = -1;
          }
          if (partner[b] >= 0) {
            partner[partner[b]] = -1;
          }
          partner[a] = b;
          partner[b] = a;
          best[a] = d;
          best[b] = d;
        }
      }
    }
    return partner;
  }

  /**
   * A gold fiducial by its peak: far brighter ({@code goldPeakRatio} times) than this scan's metal
   * objects (their median peak contrast) or, without metal evidence, than its single seeds (their
   * 90th percentile); with neither, above {@value #GOLD_ABSOLUTE_HU} HU. Seeds with a dense marker
   * (gold, tungsten) peak above that too, so it is no rule where the scan's seeds are known.
   */
  private boolean brighterThanSeeds(Region r, double peak90, MetalEvidence metal) {
    double seeds = metal.mode == MetalEvidence.Mode.METAL ? metal.metalContrast() : peak90;
    return Double.isNaN(seeds) ? r.peakHu > GOLD_ABSOLUTE_HU : r.peakContrast > settings.goldPeakRatio() * seeds;
  }

  private boolean pieceOfSeed(Region r, double single, double peak90, double noise) {
    double ratio = r.massHuMm3 / single;
    return r.massHuMm3 > 0 && ratio < 0.75 && !r.touchesEndSlice && !brighterThanSeeds(r, peak90, MetalEvidence.none())
        && r.rimContrast <= Math.max(3 * noise, 0.08 * r.peakContrast);
  }

  private static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  /**
   * An object too light for a seed that lies where two tissue levels meet (a seed in lung against
   * the mediastinum) and is as bright as the scan's single seeds.
   */
  private static boolean onBoundary(Region r, double ratio, double peak50) {
    return r.backgroundLevels.length > 1 && ratio >= 0.3 && !Double.isNaN(peak50)
        && r.peakContrast >= 0.7 * peak50;
  }

  private Rejection smallObject(double length, double ratio) {
    if (length > settings.clipLengthRatio() * settings.seedLengthMm()) {
      return Rejection.SURGICAL_CLIP;
    }
    return !Double.isNaN(ratio) && ratio < 0.15 ? Rejection.TOO_SMALL : Rejection.CALCIFICATION;
  }

  /**
   * The integrated contrast of one seed on this scan: the mode of the objects' masses, found by
   * narrowing a median to the objects within -35%..+45% of it; NaN when no object is large enough
   * to be a seed.
   */
  private double singleSeedMass(List<Region> regions, double noise, java.util.Set<Region> gold, MetalEvidence metal,
      double scanSliceMm) {
    List<Region> eligible = regions.stream()
        .filter(r -> r.rimContrast <= Math.max(3 * noise, 0.08 * r.peakContrast))
        .filter(r -> r.massHuMm3 >= settings.minSeedMassHuMm3() && !r.touchesEndSlice)
        .filter(r -> !gold.contains(r) && metal.calibrates(r)).toList();
    // seeds along a needle merge into chains in thick slices; where chains outnumber lone seeds
    // their mass would be taken for one seed's: the objects no longer than one seed calibrate
    double longest = settings.seedLengthMm() * settings.seedLengthMm() / 12 + scanSliceMm * scanSliceMm / 12
        + SINGLE_BLUR_ALLOWANCE_MM2;
    List<Region> short_ = eligible.stream()
        .filter(r -> new SymmetricEigen(r.moments.covariance).values[0] <= longest).toList();
    double[] masses = (short_.size() >= 3 ? short_ : eligible).stream()
        .mapToDouble(r -> r.massHuMm3).sorted().toArray();
    if (masses.length == 0) {
      return Double.NaN;
    }
    double m = mode(masses, masses[masses.length / 2]);
    // Where most seeds lie in chains of two (seeds 10 mm apart on a needle merge in thick slices),
    // the mode is two seeds: the single seeds then make a second crowd at half its mass. On thick
    // slices that crowd is looked for among all candidates: a single seed lying across them may
    // not reach metal where its pair does.
    double[] candidates = scanSliceMm <= MetalEvidence.NO_METAL_NO_SEED_MM ? masses : regions.stream()
        .filter(r -> r.rimContrast <= Math.max(3 * noise, 0.08 * r.peakContrast))
        .filter(r -> r.massHuMm3 >= settings.minSeedMassHuMm3() && !r.touchesEndSlice && !gold.contains(r))
        .mapToDouble(r -> r.massHuMm3).sorted().toArray();
    long atMode = count(candidates, 0.65 * m, 1.45 * m);
    long atHalf = count(candidates, 0.4 * m, 0.6 * m);
    if (atHalf >= Math.max(3, atMode / 3.0)) {
      double half = mode(candidates, 0.5 * m);
      if (half >= 0.4 * m && half <= 0.6 * m) {
        m = half;
      }
    }
    // where chains are the commonest objects, the mass that reads every object as seeds laid out
    // end to end or side by side
    double[] eligibleMasses = eligible.stream().mapToDouble(r -> r.massHuMm3).toArray();
    double[] lengths = eligible.stream().mapToDouble(r -> new SymmetricEigen(r.moments.covariance).values[0]).toArray();
    return SeedMassFit.best(eligibleMasses, lengths, longest, scanSliceMm * scanSliceMm / 12, settings.seedLengthMm(), m);
  }

  /** Narrows a start value to the median of the masses within -35%..+45% of it, six times. */
  private static double mode(double[] masses, double start) {
    double m = start;
    for (int iter = 0; iter < 6; iter++) {
      double lo = 0.65 * m;
      double hi = 1.45 * m;
      double[] near = Arrays.stream(masses).filter(x -> x >= lo && x <= hi).toArray();
      if (near.length == 0) {
        break;
      }
      m = near[near.length / 2];
    }
    return m;
  }

  private static long count(double[] values, double lo, double hi) {
    return Arrays.stream(values).filter(x -> x >= lo && x <= hi).count();
  }

  /**
   * The seeds of a cluster of n. Seeds lying side by side are not resolved by the scan (their
   * spacing is about their diameter): they are placed around the cluster centre along its second
   * axis, at the spacing its deblurred width gives. Seeds end to end or along a needle make a
   * cluster longer than one seed: it is split along its length as a mixture of n equal seeds, each
   * with one seed's profile along the axis (its length and the learnt blur), so two seeds side by
   * side within a chain are placed together. A seed at the end of a chain that runs out of the scan
   * is cut by the scan edge, as a lone one would be.
   */
  private List<Seed> split(CtScan scan, Region r, int n, int clusterId, double confidence, PointSpread blur,
      List<RejectedCandidate> rejected) {
    double[][] cov = r.moments.covariance;
    if (blur.length(cov) < 1.5 * settings.seedLengthMm()) {
      SymmetricEigen e = new SymmetricEigen(blur.deblurred(cov));
      double spacing = Math.min(1.0, Math.sqrt(12 * Math.max(0, e.values[1]) / (n * n - 1)));
      double[] axis = toPatientAxis(scan, blur.axis(cov));
      double[][] centres = new double[n][3];
      for (int s = 0; s < n; s++) {
        double offset = (s - (n - 1) / 2.0) * spacing;
        for (int a = 0; a < 3; a++) {
          centres[s][a] = r.moments.centre[a] + offset * e.vectors[1][a];
        }
      }
      centres = refined(r, centres, blur);
      List<Seed> out = new ArrayList<>();
      for (double[] c : centres) {
        out.add(new Seed(toPatient(scan, c), axis, confidence, clusterId, n));
      }
      return out;
    }
    // along a needle: the projections of all of the chain's voxels on its axis, as a mixture of n
    // equal seeds (each seed holds the same metal and has the same profile along the axis)
    double[] axis = new SymmetricEigen(cov).vectors[0];
    double[][] pts = r.faintPoints;
    double[] w = r.faintWeights;
    double[] t = new double[pts.length];
    for (int p = 0; p < pts.length; p++) {
      t[p] = pts[p][0] * axis[0] + pts[p][1] * axis[1] + pts[p][2] * axis[2];
    }
    double along = settings.seedLengthMm() * settings.seedLengthMm() / 12
        + blur.varianceXy * (axis[0] * axis[0] + axis[1] * axis[1]) + blur.varianceZ * axis[2] * axis[2];
    double[][] share = EqualMixture.of(t, w, n, along);
    List<Moments> parts = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      double[][] partPts = new double[pts.length][];
      double[] partW = new double[pts.length];
      int m = 0;
      for (int p = 0; p < pts.length; p++) {
        if (share[c][p] > 1e-3) {
          partPts[m] = pts[p];
          partW[m] = w[p] * share[c][p];
          m++;
        }
      }
      if (m == 0) {
        continue;
      }
      parts.add(new Moments(partPts, partW, m));
    }
    double[][] centres = refined(r, parts.stream().map(part -> part.centre).toArray(double[][]::new), blur);
    List<Seed> out = new ArrayList<>();
    for (int c = 0; c < parts.size(); c++) {
      Moments part = parts.get(c);
      double[] centre = centres[c];
      if (r.touchesEndSlice) {
        // the seed at the end of a chain that runs out of the scan: cut by the scan edge, as a lone
        // seed would be
        double zMm = centre[2];
        double toEdge = Math.min(zMm, (scan.nz() - 1) * scan.dz() - zMm);
        if (toEdge < 0.5 * settings.seedLengthMm() * Math.abs(axis[2]) + 0.5 * scan.dz()) {
          rejected.add(new RejectedCandidate(toPatient(scan, centre), Rejection.CUT_BY_SCAN_EDGE,
              String.format("end of a chain of %d, %.1f mm from the scan edge", n, toEdge)));
          continue;
        }
      }
      out.add(new Seed(toPatient(scan, centre), toPatientAxis(scan, blur.axis(part.covariance)), confidence,
          clusterId, n));
    }
    return out;
  }

  /**
   * The seeds' centres moved in three dimensions to where the object's metal is (seeds of a
   * cluster or a bent strand lie off its axis); each seed spreads as one seed's rod over its
   * length, blurred.
   */
  private double[][] refined(Region r, double[][] centres, PointSpread blur) {
    if (new SymmetricEigen(blur.deblurred(r.moments.covariance)).values[1] < OFF_AXIS_MM2) {
      return centres; // a straight chain: its split along the axis is the better one
    }
    double variance = settings.seedLengthMm() * settings.seedLengthMm() / 36 + blur.varianceXy;
    return SpatialMixture.refine(r.faintPoints, r.faintWeights, centres, variance, settings.seedLengthMm());
  }

  /**
   * The median count of metal voxels (contrast at the metal floor) of the single seeds; 0 when not
   * measured (no metal evidence, or fewer than three single seeds).
   */
  private static double singleMetalVoxels(List<Region> regions, double single, java.util.Set<Region> gold,
      MetalEvidence metal) {
    double[] counts = regions.stream()
        .filter(r -> !gold.contains(r) && !r.touchesEndSlice && r.massHuMm3 / single > 0.8 && r.massHuMm3 / single < 1.2)
        .mapToDouble(metal::metalVoxels).filter(c -> c > 0).sorted().toArray();
    return counts.length < 3 ? 0 : counts[counts.length / 2];
  }

  /**
   * How many seeds an object of this size can hold: end to end along its length (a seed every 0.8
   * seed lengths, allowing for error in the measured length), up to three side by side (touching
   * clusters; their width is not measured reliably across thick slices), never more than {@value
   * #MAX_CHAIN_SEEDS}. A seed count is bounded by what an object's size allows, and so is the work
   * of splitting it.
   */
  private int capacity(double[][] covariance, PointSpread blur) {
    SymmetricEigen e = new SymmetricEigen(blur.deblurred(covariance));
    double length = Math.sqrt(12 * Math.max(0, e.values[0]));
    int along = (int) Math.floor(length / (0.8 * settings.seedLengthMm())) + 1;
    return (int) Math.min(MAX_CHAIN_SEEDS, 3L * along);
  }

  private static double[] toPatient(CtScan scan, double[] mm) {
    return scan.toPatient(mm[0] / scan.dx(), mm[1] / scan.dy(), mm[2] / scan.dz());
  }

  private static double[] toPatientAxis(CtScan scan, double[] axisMm) {
    double[] d = scan.toPatientDirection(axisMm[0], axisMm[1], axisMm[2]);
    double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    return new double[] {d[0] / norm, d[1] / norm, d[2] / norm};
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
