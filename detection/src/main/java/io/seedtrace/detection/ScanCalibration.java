package io.seedtrace.detection;

import io.seedtrace.detection.internal.PointSpread;
import io.seedtrace.detection.internal.Region;
import io.seedtrace.detection.internal.SeedMassFit;
import io.seedtrace.detection.internal.SeedTemplate;
import io.seedtrace.detection.internal.SymmetricEigen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one scan teaches about its seeds before any object is judged: one seed's integrated
 * contrast (its mass), the scan's blur, whether its seeds show metal, how bright they peak, the
 * ceiling of a clamped scale, the gold markers that saturate it, and the pieces of seeds a tissue
 * boundary split in two. Learnt on the isolated seeds of the very scan, never on other scans.
 */
final class ScanCalibration {

  /** Titanium seeds stay far below this on an extended HU scale; gold does not. */
  static final int GOLD_ABSOLUTE_HU = 12000;
  /**
   * On a clamped scale (a plain 12-bit scale stores nothing above 3071 HU), an object whose voxels
   * at the scan's ceiling fill more than this (mm3) is a gold fiducial: a titanium seed holds
   * 2.3 mm3 of metal and, blurred, saturates at most a fraction of it; even three side by side
   * saturate less than 5 mm3. A gold marker, far denser and 1.2 mm across, saturates 10-17 mm3
   * (at a ceiling of 3071 HU; at 4095 HU 6-12 mm3).
   */
  static final double GOLD_PLATEAU_MM3 = 7.0;
  /** Fewest voxels at the ceiling that make a plateau (on an extended scale the peak is one voxel). */
  static final int PLATEAU_VOXELS = 3;
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
   * The most a scan's blur adds (mm2) to the variance along a single seed's length, beyond the
   * slice's own: an in-plane point spread up to 1.4 mm (standard deviation), soft kernels included.
   */
  private static final double SINGLE_BLUR_ALLOWANCE_MM2 = 2.0;

  private final DetectorSettings settings;
  final double noise;
  /** The integrated contrast of one seed (HU x mm3); NaN when no object is large enough to be one. */
  final double single;
  final PointSpread blur;
  /** What one seed looks like here, from the isolated single seeds; null without any. */
  final SeedTemplate template;
  final MetalEvidence metal;
  /** Median and 90th percentile of the single seeds' peak contrast (NaN without single seeds). */
  final double peak50;
  final double peak90;
  /** Median count of a single seed's metal voxels; 0 when not measured. */
  final double singleMetal;
  /** The ceiling of a clamped scale, else {@link Integer#MIN_VALUE}. */
  final int ceiling;
  /** Gold markers told by their plateau at the ceiling of a clamped scale. */
  final Set<Region> gold;
  /** For each object, the other piece of the same seed (see {@link #fragments}), or -1. */
  final int[] partner;

  private ScanCalibration(DetectorSettings settings, double noise, List<Region> regions, CtScan scan) {
    this.settings = settings;
    this.noise = noise;
    for (Region r : regions) {
      r.levelOnInnerTissue(noise, scan.voxelVolumeMm3());
    }
    this.gold = saturatedGold(regions, scan);
    restoreClamped(regions, scan.voxelVolumeMm3());
    this.metal = MetalEvidence.of(regions, scan.dz(), settings.minSeedMassHuMm3(), gold);
    this.single = singleSeedMass(regions, scan.dz());
    List<double[][]> singleCovariances = new ArrayList<>();
    List<Double> singlePeaks = new ArrayList<>();
    for (Region r : regions) {
      double ratio = r.massHuMm3 / single;
      if (ratio > 0.8 && ratio < 1.2 && !r.touchesEndSlice && !gold.contains(r)) {
        singleCovariances.add(r.moments.covariance);
        singlePeaks.add(r.peakContrast);
      }
    }
    this.blur = PointSpread.learn(singleCovariances, settings.seedLengthMm());
    this.template = template(regions);
    metal.calibrate(single, blur.varianceXy, settings.seedLengthMm(), scan);
    double[] peaks = singlePeaks.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    this.peak90 = peaks.length == 0 ? Double.NaN : peaks[(int) Math.floor(0.9 * (peaks.length - 1))];
    this.peak50 = peaks.length == 0 ? Double.NaN : peaks[peaks.length / 2];
    this.singleMetal = singleMetalVoxels(regions);
    this.ceiling = clampedCeiling(regions);
    this.partner = fragments(regions);
  }

  /**
   * The look of one seed measured on the scan's confidently isolated single seeds: mass within 15%
   * of one seed's, not at the scan's end slices, not a gold marker.
   */
  private SeedTemplate template(List<Region> regions) {
    List<double[][]> points = new ArrayList<>();
    List<double[]> contrasts = new ArrayList<>();
    List<double[]> centres = new ArrayList<>();
    List<double[]> axes = new ArrayList<>();
    List<Double> masses = new ArrayList<>();
    for (Region r : regions) {
      double ratio = r.massHuMm3 / single;
      if (ratio > 0.85 && ratio < 1.15 && !r.touchesEndSlice && !gold.contains(r) && r.faintPoints.length > 0) {
        points.add(r.faintPoints);
        contrasts.add(r.faintWeights);
        centres.add(r.moments.centre);
        axes.add(new SymmetricEigen(r.moments.covariance).vectors[0]);
        masses.add(r.massHuMm3);
      }
    }
    return SeedTemplate.measure(points, contrasts, centres, axes, masses);
  }

  /**
   * Calibrates on the measured objects of a scan. Levels objects measured over an inner tissue and
   * restores what a clamped scale cut off their masses (the regions are changed in place).
   */
  static ScanCalibration of(List<Region> regions, CtScan scan, double noise, DetectorSettings settings) {
    return new ScanCalibration(settings, noise, regions, scan);
  }

  /** Contrast at its rim beyond noise: the object is part of a larger structure (bone). */
  boolean partOfLargerStructure(Region r) {
    return r.rimContrast > Math.max(3 * noise, 0.08 * r.peakContrast);
  }

  /**
   * A gold fiducial by its peak: far brighter ({@code goldPeakRatio} times) than this scan's metal
   * objects (their median peak contrast) or, without metal evidence, than its single seeds (their
   * 90th percentile); with neither, above {@value #GOLD_ABSOLUTE_HU} HU. Seeds with a dense marker
   * (gold, tungsten) peak above that too, so it is no rule where the scan's seeds are known.
   */
  boolean brighterThanSeeds(Region r) {
    return brighterThan(r, metal.mode == MetalEvidence.Mode.METAL ? metal.metalContrast() : peak90);
  }

  private boolean brighterThan(Region r, double seeds) {
    return Double.isNaN(seeds) ? r.peakHu > GOLD_ABSOLUTE_HU : r.peakContrast > settings.goldPeakRatio() * seeds;
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
   * than {@value #GOLD_PLATEAU_MM3} mm3 (any plateau at the top of an extended scale, above {@value
   * #GOLD_ABSOLUTE_HU} HU); none when more than a handful of objects do (then the seeds themselves
   * saturate that much).
   */
  private Set<Region> saturatedGold(List<Region> regions, CtScan scan) {
    Set<Region> found = Collections.newSetFromMap(new IdentityHashMap<>());
    int top = clampedCeiling(regions);
    if (top == Integer.MIN_VALUE) {
      return found;
    }
    // a marker is no longer than a seed: a longer saturated object is seeds side by side or end to end
    double longest = longestSingleVariance(scan.dz());
    int saturated = 0;
    // the top of an extended scale lies far above any seed's metal: a plateau there is gold,
    // however few voxels hold it
    double plateau = top >= GOLD_ABSOLUTE_HU ? 0 : GOLD_PLATEAU_MM3;
    for (Region r : regions) {
      if (r.peakHu == top && r.plateauVoxels >= PLATEAU_VOXELS
          && r.plateauVoxels * scan.voxelVolumeMm3() > plateau) {
        saturated++;
        if (new SymmetricEigen(r.moments.covariance).values[0] <= longest) {
          found.add(r);
        }
      }
    }
    if (saturated > MAX_GOLD_MARKERS) {
      found.clear();
    }
    return found;
  }

  /** The largest variance (mm2) along its length a single seed shows on slices this thick. */
  private double longestSingleVariance(double sliceMm) {
    return settings.seedLengthMm() * settings.seedLengthMm() / 12 + sliceMm * sliceMm / 12 + SINGLE_BLUR_ALLOWANCE_MM2;
  }

  /**
   * Pieces of one seed whose core voxels a tissue boundary split into two groups (a seed crossing
   * from lung into soft tissue): two objects each lighter than three quarters of a seed, closer
   * than a seed's length, that together hold one seed's mass (0.75-1.3). For each object, its
   * partner piece (nearest such), or -1.
   */
  private int[] fragments(List<Region> regions) {
    int[] partners = new int[regions.size()];
    Arrays.fill(partners, -1);
    if (Double.isNaN(single)) {
      return partners;
    }
    double[] best = new double[regions.size()];
    Arrays.fill(best, Double.MAX_VALUE);
    double reach = settings.seedLengthMm();
    for (int a = 0; a < regions.size(); a++) {
      Region ra = regions.get(a);
      if (!pieceOfSeed(ra)) {
        continue;
      }
      for (int b = a + 1; b < regions.size(); b++) {
        Region rb = regions.get(b);
        if (!pieceOfSeed(rb)) {
          continue;
        }
        double d = distance(ra.moments.centre, rb.moments.centre);
        double sum = (ra.massHuMm3 + rb.massHuMm3) / single;
        if (d < reach && sum >= 0.75 && sum <= 1.3 && d < best[a] && d < best[b]) {
          if (partners[a] >= 0) {
            partners[partners[a]] = -1;
          }
          if (partners[b] >= 0) {
            partners[partners[b]] = -1;
          }
          partners[a] = b;
          partners[b] = a;
          best[a] = d;
          best[b] = d;
        }
      }
    }
    return partners;
  }

  private boolean pieceOfSeed(Region r) {
    double ratio = r.massHuMm3 / single;
    return r.massHuMm3 > 0 && ratio < 0.75 && !r.touchesEndSlice && !brighterThan(r, peak90)
        && !partOfLargerStructure(r) && !gold.contains(r);
  }

  static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  /**
   * The integrated contrast of one seed on this scan: the mode of the objects' masses, found by
   * narrowing a median to the objects within -35%..+45% of it; NaN when no object is large enough
   * to be a seed.
   */
  private double singleSeedMass(List<Region> regions, double scanSliceMm) {
    List<Region> eligible = regions.stream()
        .filter(r -> !partOfLargerStructure(r))
        .filter(r -> r.massHuMm3 >= settings.minSeedMassHuMm3() && !r.touchesEndSlice)
        .filter(r -> !gold.contains(r) && metal.calibrates(r)).toList();
    // seeds along a needle merge into chains in thick slices; where chains outnumber lone seeds
    // their mass would be taken for one seed's: the objects no longer than one seed calibrate
    double longest = longestSingleVariance(scanSliceMm);
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
        .filter(r -> !partOfLargerStructure(r))
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
   * The median count of metal voxels (contrast at the metal floor) of the single seeds; 0 when not
   * measured (no metal evidence, or fewer than three single seeds).
   */
  private double singleMetalVoxels(List<Region> regions) {
    double[] counts = regions.stream()
        .filter(r -> !gold.contains(r) && !r.touchesEndSlice && r.massHuMm3 / single > 0.8 && r.massHuMm3 / single < 1.2)
        .mapToDouble(metal::metalVoxels).filter(c -> c > 0).sorted().toArray();
    return counts.length < 3 ? 0 : counts[counts.length / 2];
  }
}
