package io.seedtrace.detection;

import io.seedtrace.detection.internal.Region;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Judges each measured object of a scan against the scan's calibration: a gold fiducial, a clip, a
 * calcification, bone, a seed cut by the scan edge, or a whole number of seeds (split into seeds
 * when more than one). Keeps the seeds, the rejected objects and the count's bounds as it goes.
 */
final class ObjectClassifier {

  /**
   * A single object whose narrowest spread in the slice plane exceeds that of the scan's single
   * seeds by this much (mm2: a cross-section about 1.6 mm across against a seed's 0.8 mm) ...
   */
  private static final double CALCIFICATION_WIDTH_MM2 = 0.15;
  /** ... and whose peak contrast is below this fraction of the seeds' median is a calcification. */
  private static final double CALCIFICATION_PEAK = 0.8;
  /** Denser than any soft tissue (contrast-filled vessels included): bone. */
  private static final double BONE_RIM_HU = 300;
  /** Thicker slices blur a seed's length too much to tell a long clip from a seed by its length. */
  private static final double MEASURABLE_LENGTH_SLICE_MM = 3.0;
  /**
   * An object holds at most its metal voxels over a single seed's, times this (seeds side by side
   * overlap and raise each other's voxels, seeds lying across the slices show fewer).
   */
  private static final double METAL_PER_SEED_MARGIN = 2.5;
  /** Share of its mass each further seed side by side loses to beam hardening. */
  private static final double SIDE_BY_SIDE_LOSS = 0.1;
  /**
   * The most seeds' mass an object of seeds side by side shows: three seeds' whole mass and a
   * half (three side by side measure about 2.4).
   */
  private static final double MOST_SIDE_BY_SIDE = 3.5;
  /** A cluster shorter than this many seed lengths lies side by side. */
  private static final double SIDE_BY_SIDE_LENGTH = 1.5;
  /**
   * Two seeds side by side show more than this many single seeds' metal voxels: each holds its own
   * rod, and their rods lie about a diameter apart, so the cores overlap only in part (pairs showed
   * 1.33 to 2.5 on the first generator, 1.67 to 2.3 on the second's working sets). A short object
   * with less metal is one seed, whatever its mass says: a seed in lung or beside a streak or a
   * vessel gains mass from around it, not metal.
   */
  static final double PAIR_METAL = 1.3;
  /**
   * A rim contrast above this many noise deviations is tissue, not noise (as for {@link
   * ScanCalibration#partOfLargerStructure}).
   */
  private static final double RIM_NOISE = 3;

  private final CtScan scan;
  private final DetectorSettings settings;
  private final ScanCalibration cal;
  private final List<Region> regions;
  private final ChainSplitter splitter;

  final List<Seed> seeds = new ArrayList<>();
  final List<RejectedCandidate> rejected;
  int ambiguous;
  int minCount;
  int maxCount;
  private int clusterId;

  ObjectClassifier(CtScan scan, DetectorSettings settings, ScanCalibration cal, List<Region> regions,
      List<RejectedCandidate> rejected) {
    this.scan = scan;
    this.settings = settings;
    this.cal = cal;
    this.regions = regions;
    this.rejected = rejected;
    this.splitter = new ChainSplitter(scan, settings, cal.blur, cal.template);
  }

  /**
   * One object as judged: its region, seed-equivalents, centre (patient, mm), measured facts, and
   * whether it is judged with the other piece of a seed split by a tissue boundary.
   */
  private record Candidate(Region r, double ratio, double[] centre, double length, String facts, boolean paired) {}

  /** Judges object {@code ri}; the piece of a seed split by a tissue boundary is judged with its partner. */
  void judge(int ri) {
    Region r = regions.get(ri);
    double ratio = r.massHuMm3 / cal.single;
    double[] centre = SeedDetector.toPatient(scan, r.moments.centre);
    int partner = cal.partner[ri];
    if (partner >= 0) {
      Region o = regions.get(partner);
      if (o.massHuMm3 > r.massHuMm3 || (o.massHuMm3 == r.massHuMm3 && partner < ri)) {
        return; // counted with the heavier piece of the same seed
      }
      ratio = (r.massHuMm3 + o.massHuMm3) / cal.single;
      double[] c = new double[3];
      for (int a = 0; a < 3; a++) {
        c[a] = (r.massHuMm3 * r.moments.centre[a] + o.massHuMm3 * o.moments.centre[a]) / (r.massHuMm3 + o.massHuMm3);
      }
      centre = SeedDetector.toPatient(scan, c);
    }
    double length = cal.blur.length(r.moments.covariance);
    String facts = String.format("peak %d HU, contrast %.0f HU, %.2f seed-equivalents, length %.1f mm", r.peakHu,
        r.peakContrast, Double.isNaN(ratio) ? 0 : ratio, length);
    Candidate c = new Candidate(r, ratio, centre, length, facts, partner >= 0);
    if (notSeedMetal(c) || tooLightOrCut(c)) {
      return;
    }
    int n = seedNumber(c);
    if (n > 0 && !looksLikeOneOther(c, n)) {
      accept(c, n);
    } else if (n == 1 && c.ratio() >= 1.5 && belowMetal(r)) {
      // the mass of seeds below metal, taken for a clip or a calcification: seeds remain possible
      ambiguous++;
      maxCount += (int) Math.min(Math.round(c.ratio()), splitter.capacity(r.moments.covariance));
    }
  }

  /** Gold fiducials, objects without a seed's metal, bone: rejected (true), or false. */
  private boolean notSeedMetal(Candidate c) {
    Region r = c.r();
    if (cal.brighterThanSeeds(r)) {
      return reject(c, Rejection.GOLD_FIDUCIAL, "");
    }
    boolean goldPlateau = cal.gold.contains(r);
    if (!cal.metal.admits(r) && !goldPlateau) {
      if (cal.metal.mayBeDimSeed(r, settings.minSeedMassHuMm3())) {
        ambiguous++;
        maxCount++;
      }
      return reject(c, Rejection.NO_METAL, cal.metal.why());
    }
    if (goldPlateau) {
      if (cal.metal.mode == MetalEvidence.Mode.METAL && !Double.isNaN(c.ratio())
          && cal.ceiling <= ScanCalibration.GOLD_ABSOLUTE_HU) {
        // on a clamped scale seeds side by side with a dense marker saturate as much as a gold
        // marker: not counted, but the count may be that much higher
        ambiguous++;
        maxCount += Math.max(1, (int) Math.round(c.ratio()));
      }
      return reject(c, Rejection.GOLD_FIDUCIAL, String.format(", %.1f mm3 saturated at the scan's ceiling of %d HU",
          r.plateauVoxels * scan.voxelVolumeMm3(), r.peakHu));
    }
    if (cal.partOfLargerStructure(r) && !metalInSoftTissue(r)) {
      return reject(c, Rejection.BONE, String.format(", part of a larger structure (%.0f HU at its rim)", r.rimContrast));
    }
    return false;
  }

  /**
   * Whether an object joined to a larger structure is metal inside soft tissue rather than bone:
   * it reaches metal, which no tissue does, and the structure around it is no denser than soft
   * tissue ({@value #BONE_RIM_HU} HU; seeds in a lung tumour or against a vessel). Its seeds are
   * then counted by its metal, not its mass.
   */
  private boolean metalInSoftTissue(Region r) {
    double level = Arrays.stream(r.backgroundLevels).max().orElse(Double.NaN);
    return cal.metal.mode == MetalEvidence.Mode.METAL && r.peakHu >= MetalEvidence.METAL_HU
        && level + r.rimContrast < BONE_RIM_HU;
  }

  /** Objects too light for a seed, seeds cut by the scan's edge, dim heavy bone: handled (true), or false. */
  private boolean tooLightOrCut(Candidate c) {
    Region r = c.r();
    double ratio = c.ratio();
    if (Double.isNaN(ratio) || ratio * cal.single < 0.5 * settings.minSeedMassHuMm3()) {
      return reject(c, smallObject(c.length(), ratio), "");
    }
    if (r.touchesEndSlice) {
      double zMm = r.moments.centre[2];
      double toEdge = Math.min(zMm, (scan.nz() - 1) * scan.dz() - zMm);
      double[] axis = cal.blur.axis(r.moments.covariance);
      if (ratio < 0.75 || splitter.cutByEdge(toEdge, axis)) {
        return reject(c, Rejection.CUT_BY_SCAN_EDGE, "");
      }
    }
    if (ratio < 0.5 && onBoundary(r, ratio)) {
      // A tissue boundary passes under it, so its contrast is partly measured against the wrong
      // tissue; it is as bright as a seed: counted as one, and the count marked uncertain.
      ambiguous++;
      maxCount++;
      clusterId++;
      seeds.add(new Seed(c.centre(), SeedDetector.toPatientAxis(scan, cal.blur.axis(r.moments.covariance)), 0.3,
          clusterId, 1));
      return true;
    }
    if (ratio < 0.5) {
      return reject(c, smallObject(c.length(), ratio), "");
    }
    if (ratio > 3 && !Double.isNaN(cal.peak50) && r.peakContrast < 0.3 * cal.peak50) {
      return reject(c, Rejection.BONE, "");
    }
    return false;
  }

  /**
   * The number of seeds the object holds by its mass, no more than its metal holds; 0 when it holds
   * more than its size allows (then rejected as no seed chain).
   */
  private int seedNumber(Candidate c) {
    Region r = c.r();
    double ratio = c.ratio();
    int n = Math.max(1, (int) Math.round(ratio));
    if (ratio >= 1.5 && c.length() < SIDE_BY_SIDE_LENGTH * settings.seedLengthMm()) {
      if (ratio > MOST_SIDE_BY_SIDE && saturated(r)) {
        saturatedMarker(c);
        return 0;
      }
      n = sideBySide(ratio);
      if (n > 1 && metalOfSeeds(r) < PAIR_METAL) {
        n = 1;
      } else if (n > 1 && onTissue(r)) {
        n = Math.max(1, Math.min(n, (int) Math.round(metalOverRim(r) / cal.singleMetal)));
      }
    }
    int metalVoxels = cal.metal.metalVoxels(r);
    if (cal.singleMetal > 0 && metalVoxels >= 0 && n > 1) {
      // no more seeds than the object's metal holds: tissue joined to a seed (a vessel, a tumour)
      // adds mass, not metal
      n = Math.max(1, Math.min(n, (int) Math.ceil(METAL_PER_SEED_MARGIN * metalVoxels / cal.singleMetal)));
      if (cal.partOfLargerStructure(r)) {
        // joined to soft tissue (a tumour, a vessel): its mass is mostly tissue; its metal counts,
        // over the tissue it lies in (its level over the background shows at the object's rim):
        // measured over lung, the tissue adds a seed's contrast to every voxel its metal blurs into.
        // An object measured over a tissue inside it already is.
        int inTissue = r.measuredOnInnerTissue ? metalVoxels : metalOverRim(r);
        n = Math.max(1, Math.min(n, (int) Math.round(inTissue / cal.singleMetal)));
      }
    }
    int capacity = splitter.capacity(r.moments.covariance);
    if (n > capacity) {
      reject(c, Rejection.NOT_A_SEED_CHAIN, String.format(", the mass of %d seeds in an object that can hold at most %d",
          n, capacity));
      return 0;
    }
    // at most one seed below metal; the count's upper bound keeps what its mass says
    return n > 1 && belowMetal(r) ? 1 : n;
  }

  /**
   * Whether the object, on a scan whose seeds reach metal on slices up to {@value
   * MetalEvidence#THICK_SLICE_MM} mm, stays below metal ({@value MetalEvidence#METAL_HU} HU): one seed
   * lying across such slices can (its rod fills a third of a slice), but several seeds in one object
   * overlap and raise each other's peak. Tissue joined to a seed (a vessel in lung) adds mass there,
   * not metal.
   */
  private boolean belowMetal(Region r) {
    return cal.metal.mode == MetalEvidence.Mode.METAL && scan.dz() <= MetalEvidence.THICK_SLICE_MM
        && r.peakHu < MetalEvidence.METAL_HU;
  }

  /**
   * Whether a short object lies on tissue brighter than the background it was measured against:
   * its rim stands more than {@value #RIM_NOISE} noise deviations over that background (a seed
   * against a vessel, in a tumour, on a streak), and the scan measures metal. The tissue lifts
   * every voxel of the object, so its mass and its metal voxels counted over the background read
   * more seeds than it holds.
   */
  private boolean onTissue(Region r) {
    return cal.singleMetal > 0 && cal.metal.metalVoxels(r) >= 0 && r.rimContrast > RIM_NOISE * cal.noise;
  }

  /** The object's metal voxels counted over the tissue it lies on (its rim contrast over its background). */
  private int metalOverRim(Region r) {
    return cal.metal.metalVoxels(r, Math.max(0, r.rimContrast));
  }

  /** The object's metal voxels in single seeds' (+infinity when the scan does not measure metal). */
  private double metalOfSeeds(Region r) {
    int metalVoxels = cal.metal.metalVoxels(r);
    return cal.singleMetal > 0 && metalVoxels >= 0 ? metalVoxels / cal.singleMetal : Double.POSITIVE_INFINITY;
  }

  /**
   * Rejects as a gold marker an object at a clamped scale's ceiling, no longer than a seed and a
   * half, that measures more than {@value #MOST_SIDE_BY_SIDE} seeds' mass. A gold marker saturates
   * and loses most of its mass to the clamp, yet measures several seeds' mass in one seed's
   * length; seeds side by side show less than their whole mass, and at most three of them lie in
   * such an object (with a fourth beside them, 3.75 was measured on an extended scale). What
   * survives the clamp cannot rule out seeds beside a dense marker: the count's upper bound keeps
   * room for them.
   */
  private void saturatedMarker(Candidate c) {
    ambiguous++;
    maxCount += (int) Math.round(c.ratio());
    reject(c, Rejection.GOLD_FIDUCIAL, String.format(
        ", saturated at the scan's ceiling with the mass of %.1f seeds in one seed's length", c.ratio()));
  }

  private boolean saturated(Region r) {
    return cal.ceiling != Integer.MIN_VALUE && r.peakHu == cal.ceiling && r.plateauVoxels >= ScanCalibration.PLATEAU_VOXELS;
  }

  /** A single object that is a calcification or a clip by its shape: rejected (true), or false. */
  private boolean looksLikeOneOther(Candidate c, int n) {
    Region r = c.r();
    if (n == 1 && cal.blur.varianceXy > 0 && !Double.isNaN(cal.peak50) && r.peakContrast < CALCIFICATION_PEAK * cal.peak50
        && cal.blur.widthExcess(r.moments.covariance) > CALCIFICATION_WIDTH_MM2) {
      // wider across than a seed's rod (about twice its diameter once the blur is taken out) and
      // dimmer than the scan's seeds: a calcification, whose mass alone can reach a seed's in
      // thick slices
      return reject(c, Rejection.CALCIFICATION, String.format(", %.2f mm2 wider than a seed across",
          cal.blur.widthExcess(r.moments.covariance)));
    }
    // lengths are measured well up to 3 mm slices; in thicker ones a clip is told from a seed by
    // its metal content only
    if (n == 1 && scan.dz() <= MEASURABLE_LENGTH_SLICE_MM && !r.measuredOnInnerTissue
        && c.length() > settings.clipLengthRatio() * settings.seedLengthMm()) {
      return reject(c, Rejection.SURGICAL_CLIP, "");
    }
    return false;
  }

  /** Counts the object as n seeds, widening the count's bounds when its mass leaves doubt. */
  private void accept(Candidate c, int n) {
    Region r = c.r();
    double ratio = c.ratio();
    // measured above a tissue inside the object: seeds in a tumour; its mass is less certain, and
    // the count may be one higher
    boolean compact = ratio >= 1.5 && c.length() < SIDE_BY_SIDE_LENGTH * settings.seedLengthMm();
    double expected = compact ? expectedSideBySide(n) : n;
    // on a clamped scale seeds side by side with a dense marker and a gold marker both saturate:
    // such a cluster may be a marker, and the count's lower bound leaves it out
    boolean mayBeMarker = compact && saturated(r);
    boolean unsure = Math.abs(ratio - expected) > 0.3 || r.measuredOnInnerTissue || mayBeMarker;
    int byMass = compact ? sideBySide(ratio) : Math.max(1, (int) Math.round(ratio));
    int extra = Math.max(r.measuredOnInnerTissue ? 1 : 0, byMass - n);
    clusterId++;
    int cut = 0;
    if (n == 1) {
      double confidence = clamp(1 - 1.5 * Math.abs(ratio - 1), 0.1, 1);
      seeds.add(new Seed(oneSeedCentre(c), SeedDetector.toPatientAxis(scan, cal.blur.axis(r.moments.covariance)), confidence,
          clusterId, 1));
    } else {
      List<Seed> parts = splitter.split(r, n, clusterId, clamp(0.8 * (1 - Math.abs(ratio - n)), 0.1, 0.8), rejected);
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

  /**
   * Where one seed of an object lies: at the object's centre, or, when the object is longer than a
   * seed and a half (a seed joined to a vessel or a streak), at the centre of its metal: the tissue
   * adds mass beside the seed, not metal.
   */
  private double[] oneSeedCentre(Candidate c) {
    if (c.length() < SIDE_BY_SIDE_LENGTH * settings.seedLengthMm() || c.paired()) {
      return c.centre();
    }
    double[] metal = cal.metal.metalCentre(c.r());
    return metal == null ? c.centre() : SeedDetector.toPatient(scan, metal);
  }

  private boolean reject(Candidate c, Rejection why, String more) {
    rejected.add(new RejectedCandidate(c.centre(), why, c.facts() + more));
    return true;
  }

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

  /**
   * An object too light for a seed that lies where two tissue levels meet (a seed in lung against
   * the mediastinum) and is as bright as the scan's single seeds.
   */
  private boolean onBoundary(Region r, double ratio) {
    return r.backgroundLevels.length > 1 && ratio >= 0.3 && !Double.isNaN(cal.peak50)
        && r.peakContrast >= 0.7 * cal.peak50;
  }

  private Rejection smallObject(double length, double ratio) {
    if (length > settings.clipLengthRatio() * settings.seedLengthMm()) {
      return Rejection.SURGICAL_CLIP;
    }
    return !Double.isNaN(ratio) && ratio < 0.15 ? Rejection.TOO_SMALL : Rejection.CALCIFICATION;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
