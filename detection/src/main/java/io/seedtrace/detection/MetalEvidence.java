package io.seedtrace.detection;

import io.seedtrace.detection.internal.Region;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Whether an object can hold a seed's metal, judged on the scan itself. Every I-125 seed holds
 * metal (a titanium capsule, most with a silver, gold or tungsten marker) far denser than any
 * tissue; on slices up to {@value #THIN_SLICE_MM} mm most seeds of a scan peak above {@value
 * #METAL_HU} HU, which no tissue of the pelvis or thorax reaches (dense cortical bone stays below
 * about 1900 HU). So on such a scan:
 *
 * <ul>
 *   <li>when at least {@value #MIN_METAL_OBJECTS} seed-sized objects reach metal, those are the
 *       scan's seeds and the single seed is calibrated on them alone. An object then counts as
 *       seeds only when its peak contrast reaches what one seed's metal gives at the least: its
 *       mass spread over the largest volume the scan's blur and slices can spread it over (a seed
 *       lying in the slice plane, as long as a seed plus twice the blur's width, as wide as the
 *       blur, as deep as a slice), with a margin ({@value #SPREAD_MARGIN}); never less than the
 *       most contrast tissue shows ({@value #TISSUE_CONTRAST_HU} HU, soft tissue against lung) nor
 *       than what a seed lying across the slices keeps of the median seed's peak. Its peak must
 *       also stand that far over water (with a margin, {@value #WATER_SHARE}): a rib or a vessel
 *       in lung shows a large contrast against the lung, not over water. Bone texture, vessels and
 *       calcifications stay below however seed-like their size;
 *   <li>when fewer do, on slices up to {@value #NO_METAL_NO_SEED_MM} mm, the scan shows no seed as
 *       one: nothing is counted. Objects of a seed's mass in lung, where a seed lying across the
 *       slices can stay below metal, widen the count's upper bound instead (the count is then
 *       uncertain, not zero).
 * </ul>
 *
 * Otherwise (thicker slices, or few metal objects on 3-5 mm slices) an object must stand out more
 * than tissue can ({@value #THICK_SLICE_SHARE} of {@value #TISSUE_CONTRAST_HU} HU, against its
 * background and over water) and as much as one seed's mass allows; the scan's own calibration
 * decides the rest (weaker: see docs/detection.md).
 */
final class MetalEvidence {

  /** Above every tissue of the pelvis and thorax, below most seeds' peaks on thin slices. */
  static final int METAL_HU = 2000;
  static final double THIN_SLICE_MM = 5.0;
  /** Up to this thickness a scan with seeds shows several of them above metal. */
  static final double NO_METAL_NO_SEED_MM = 3.0;
  /** More than the three or four gold markers a patient may carry for image guidance. */
  static final int MIN_METAL_OBJECTS = 5;
  /** Share of the least contrast a seed's metal can show that an object must reach. */
  static final double SPREAD_MARGIN = 0.45;
  /** Never ask more than this share of the metal objects' median contrast (a clamped scale). */
  static final double METAL_SHARE = 0.8;
  /**
   * The most contrast tissue shows against the tissue around it: soft tissue (a vessel, a tumour,
   * the chest wall) against aerated lung, about 950 HU. Seeds' metal shows several times that.
   */
  static final double TISSUE_CONTRAST_HU = 1100;
  /** The tissue floor is never more than this share of the metal objects' median contrast. */
  static final double TISSUE_SHARE = 0.5;
  private static final double WATER_HU = 0;
  /**
   * Without metal to compare with (thick slices), an object must still stand out by this share of
   * {@link #TISSUE_CONTRAST_HU}, against its background and over water: partial volume in thick
   * slices dims seeds, but vessels and soft tissue in lung stay near water.
   */
  static final double THICK_SLICE_SHARE = 0.7;
  /** Share of the contrast floor an object's peak must reach over water. */
  static final double WATER_SHARE = 0.7;
  /**
   * On slices up to {@value #ROD_SPANS_SLICE_MM} mm a seed's rod spans 40% of the slice or more
   * whatever its orientation, so its peak keeps at least this share of the metal objects' median
   * over water (never asked above {@value #METAL_HU} HU, which no tissue reaches): ribs, the chest
   * wall and vessels at the lung's edge show a seed's contrast against the lung, but only their own
   * level over water.
   */
  static final double THIN_SLICE_METAL_SHARE = 0.5;
  static final double ROD_SPANS_SLICE_MM = 2.0;
  /**
   * On slices up to {@value #THICK_SLICE_MM} mm partial volume dims a seed lying across them more,
   * but its peak still keeps this share of the metal objects' median over water (the dimmest seed
   * of the working sets on 3 mm slices kept 0.48 of it, the first generator's seeds 0.3): the chest
   * wall seen through 3 mm slices at the lung's edge reaches a seed's contrast against the lung and
   * the mass of many seeds, at a quarter of a seed's level over water. On 5 mm slices seeds lying
   * across them fall lower still, and no such floor is set.
   */
  static final double THICK_SLICE_METAL_SHARE = 0.3;
  /** The thickest slices {@link #THICK_SLICE_METAL_SHARE} holds for. */
  static final double THICK_SLICE_MM = 3.0;
  /** A background level below this is lung. */
  static final double LUNG_HU = -500;
  private static final double FWHM_PER_SIGMA = 2.355;

  enum Mode { THICK_SLICES, METAL, NO_METAL }

  final Mode mode;
  private final double metalContrast;
  /** With {@link Mode#METAL}, once {@link #calibrate} ran: the least peak contrast of an object holding seeds. */
  private double contrastFloor = Double.NaN;
  /** With {@link Mode#METAL}, once {@link #calibrate} ran: the least peak over water of an object holding seeds. */
  private double waterFloor = Double.NaN;

  private MetalEvidence(Mode mode, double metalContrast) {
    this.mode = mode;
    this.metalContrast = metalContrast;
  }

  static MetalEvidence of(List<Region> regions, double sliceMm, double minSeedMass, Set<Region> gold) {
    if (sliceMm > THIN_SLICE_MM) {
      return new MetalEvidence(Mode.THICK_SLICES, Double.NaN);
    }
    double[] contrasts = regions.stream()
        .filter(r -> r.massHuMm3 >= minSeedMass && r.peakHu >= METAL_HU && !gold.contains(r))
        .mapToDouble(r -> r.peakContrast).sorted().toArray();
    if (contrasts.length < MIN_METAL_OBJECTS) {
      return new MetalEvidence(sliceMm <= NO_METAL_NO_SEED_MM ? Mode.NO_METAL : Mode.THICK_SLICES, Double.NaN);
    }
    return new MetalEvidence(Mode.METAL, contrasts[contrasts.length / 2]);
  }

  /**
   * Sets the contrast floor from the calibrated single seed (mass, HU x mm3) and the learnt blur
   * (in-plane variance, mm2; 0 when unknown: the pixel then stands for it).
   */
  void calibrate(double singleMass, double blurVarianceXy, double seedLengthMm, CtScan scan) {
    if (mode == Mode.NO_METAL || Double.isNaN(singleMass)) {
      return;
    }
    double width = Math.max(Math.max(scan.dx(), scan.dy()), FWHM_PER_SIGMA * Math.sqrt(blurVarianceXy));
    double spread = (seedLengthMm + 2 * width) * width * Math.max(scan.dz(), width);
    if (mode == Mode.THICK_SLICES) {
      // no metal to compare with: a seed's mass still cannot spread thinner than this
      contrastFloor = SPREAD_MARGIN * singleMass / spread;
      return;
    }
    double byMass = Math.min(SPREAD_MARGIN * singleMass / spread, METAL_SHARE * metalContrast);
    double byTissue = Math.min(TISSUE_CONTRAST_HU, TISSUE_SHARE * metalContrast);
    double byOrientation = SPREAD_MARGIN * metalContrast * width / (seedLengthMm + 2 * width);
    contrastFloor = Math.max(byMass, Math.max(byTissue, byOrientation));
    waterFloor = WATER_SHARE * contrastFloor;
    double share = scan.dz() <= ROD_SPANS_SLICE_MM ? THIN_SLICE_METAL_SHARE
        : scan.dz() <= THICK_SLICE_MM ? THICK_SLICE_METAL_SHARE : 0;
    waterFloor = Math.max(waterFloor, Math.min(METAL_HU, share * metalContrast));
  }

  /**
   * With {@link Mode#METAL} and a floor: the object's voxels whose contrast reaches the floor (its
   * metal, as far as the scan shows it); -1 otherwise.
   */
  int metalVoxels(Region r) {
    return metalVoxels(r, 0);
  }

  /**
   * As {@link #metalVoxels(Region)}, counting only voxels whose contrast reaches the floor plus
   * {@code above} (HU): the level of a tissue between the object's background and its metal.
   */
  int metalVoxels(Region r, double above) {
    if (mode != Mode.METAL || Double.isNaN(contrastFloor)) {
      return -1;
    }
    int n = 0;
    for (double w : r.faintWeights) {
      n += w >= contrastFloor + above ? 1 : 0;
    }
    return n;
  }

  /**
   * With {@link Mode#METAL} and a floor: the centre (voxel mm) of the object's metal voxels, weighted
   * by their contrast; null otherwise or without metal voxels.
   */
  double[] metalCentre(Region r) {
    if (mode != Mode.METAL || Double.isNaN(contrastFloor)) {
      return null;
    }
    double[] sum = new double[3];
    double total = 0;
    for (int p = 0; p < r.faintWeights.length; p++) {
      double w = r.faintWeights[p];
      if (w >= contrastFloor) {
        for (int a = 0; a < 3; a++) {
          sum[a] += w * r.faintPoints[p][a];
        }
        total += w;
      }
    }
    if (total <= 0) {
      return null;
    }
    for (int a = 0; a < 3; a++) {
      sum[a] /= total;
    }
    return sum;
  }

  /** Whether the object may hold seeds. */
  boolean admits(Region r) {
    return switch (mode) {
      case THICK_SLICES -> standsOutOfTissue(r) && (Double.isNaN(contrastFloor)
          || reaches(r, contrastFloor, WATER_SHARE * contrastFloor));
      case METAL -> reaches(r, contrastFloor, waterFloor);
      case NO_METAL -> false;
    };
  }

  /** Without metal evidence: whether the object stands out more than tissue can. */
  private static boolean standsOutOfTissue(Region r) {
    double least = THICK_SLICE_SHARE * TISSUE_CONTRAST_HU;
    return r.peakContrast >= least && r.peakHu - WATER_HU >= least;
  }

  /**
   * Whether the object's peak reaches the floor both against its own background and, with a
   * margin, over water: a rib or a vessel shows a large contrast against the lung around it, but
   * its peak stays near bone or blood; a seed in lung keeps most of its metal above water even
   * when thick slices dim it.
   */
  private static boolean reaches(Region r, double floor, double overWater) {
    return r.peakContrast >= floor && r.peakHu - WATER_HU >= overWater;
  }

  /** Whether the object may calibrate the single seed: with metal found, only metal objects do. */
  boolean calibrates(Region r) {
    return mode == Mode.METAL ? r.peakHu >= METAL_HU : admits(r);
  }

  /** The median peak contrast of the metal objects (NaN without metal evidence). */
  double metalContrast() {
    return metalContrast;
  }

  /**
   * With {@link Mode#NO_METAL}: an object with at least a seed's smallest mass that may be a seed
   * the scan does not show as metal, which widens the count's upper bound: in lung, a seed lying
   * across the slices; anywhere, an object that stands out of soft tissue as much as a seed dimmed
   * by thick slices must ({@value #THICK_SLICE_SHARE} of {@value #TISSUE_CONTRAST_HU} HU over
   * water). Patient motion during the scan spreads each seed's metal over ghost copies and streaks
   * until none reaches metal: the count is then 0 but uncertain, and the verification asks for a
   * look at the images instead of reporting every seed missing.
   */
  boolean mayBeDimSeed(Region r, double minSeedMass) {
    return mode == Mode.NO_METAL && r.massHuMm3 >= minSeedMass
        && (Arrays.stream(r.backgroundLevels).anyMatch(level -> level <= LUNG_HU)
            || r.peakHu - WATER_HU >= THICK_SLICE_SHARE * TISSUE_CONTRAST_HU);
  }

  /** Why an object is not admitted, for the rejection's details. */
  String why() {
    return switch (mode) {
      case METAL -> String.format(", no metal: peak below the %.0f HU (%.0f HU over water) one seed's metal shows at"
          + " the least on this scan", contrastFloor, waterFloor);
      case THICK_SLICES -> String.format(", stands out less than tissue can (%.0f HU against its background and over"
          + " water) or less than one seed's mass allows", THICK_SLICE_SHARE * TISSUE_CONTRAST_HU);
      case NO_METAL -> String.format(", no metal: no object of this scan reaches %d HU, as seeds do on %.0f mm slices"
          + " or thinner", METAL_HU, THIN_SLICE_MM);
    };
  }
}
