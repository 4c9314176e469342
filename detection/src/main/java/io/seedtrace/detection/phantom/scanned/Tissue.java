package io.seedtrace.detection.phantom.scanned;

/**
 * Body tissues as mixtures of two basis materials, water and cortical bone.
 *
 * <p>Below about 150 keV the attenuation of any light-element tissue is well described by two
 * processes, Compton scattering (depends on electron density) and photo-electric absorption
 * (depends strongly on atomic number). Two basis materials with different atomic numbers therefore
 * span all tissues: a tissue's attenuation in every energy bin is {@code water * mu_water(E) +
 * bone * mu_bone(E)}. Fat has a lower effective atomic number than water, so it needs a small
 * negative bone part; calcified tissue has a large one. The resulting CT numbers at the beam's
 * effective energy are given in each constant's comment.
 *
 * <p>Each tissue also has a texture: a relative variation of its density over a length scale,
 * which makes organs look like tissue rather than flat paint (trabecular bone speckle, lung
 * parenchyma, mottled fat).
 */
enum Tissue {
  /** Outside the patient; treated as vacuum. */
  AIR(0, 0, 0, 1),
  /** Bowel and rectal gas (about -990 HU). */
  GAS(0.01, 0, 0, 1),
  /** Inflated lung parenchyma (about -840 HU, textured). */
  LUNG(0.16, 0, 0.22, 3),
  /** Polyurethane foam of the couch (about -950 HU). */
  FOAM(0.05, 0, 0, 1),
  /** Adipose tissue (about -100 HU). */
  FAT(0.98, -0.03, 0.03, 4),
  /** Fatty bone marrow of long bones (about -40 HU). */
  MARROW(1.0, -0.015, 0.04, 3),
  /** Pure water, for calibration phantoms (0 HU). */
  WATER(1.0, 0, 0, 1),
  /** Urine (about +5 HU). */
  URINE(1.005, 0, 0.004, 6),
  /** Cerebrospinal fluid (about +8 HU). */
  CSF(1.008, 0, 0.004, 6),
  /** Rectal content (stool, about +20 HU, very mottled). */
  STOOL(1.0, 0.008, 0.12, 2),
  /** Prostate gland (about +35 HU). */
  PROSTATE(1.02, 0.005, 0.025, 3),
  /** Blood and heart (about +45 HU). */
  BLOOD(1.035, 0.004, 0.01, 6),
  /** Skeletal muscle and organ walls (about +50 HU). */
  MUSCLE(1.04, 0.004, 0.02, 3),
  /** Solid tumour (about +40 HU). */
  TUMOUR(1.03, 0.004, 0.04, 2),
  /** Skin (about +70 HU). */
  SKIN(1.06, 0.004, 0.01, 3),
  /** Cartilage and intervertebral discs (about +90 HU). */
  CARTILAGE(1.06, 0.012, 0.02, 3),
  /** Carbon-fibre couch top (about +250 HU). */
  CARBON(1.18, 0.025, 0, 1),
  /** Trabecular (spongy) bone: marrow with a lattice of bone (about +230 HU, strongly speckled). */
  TRABECULAR(0.93, 0.11, 0.35, 1.5),
  /** Dystrophic calcification and calcified granulomas (about +800 HU before partial volume). */
  CALCIFICATION(0.6, 0.45, 0.05, 1),
  /** Phlebolith: a calcified venous thrombus (about +700 HU). */
  PHLEBOLITH(0.5, 0.45, 0.05, 1),
  /** Cortical bone (about +1000 HU). */
  CORTICAL(0.35, 0.62, 0.04, 2);

  private final double water;
  private final double bone;
  private final double textureAmplitude;
  private final double textureScaleMm;

  Tissue(double water, double bone, double textureAmplitude, double textureScaleMm) {
    this.water = water;
    this.bone = bone;
    this.textureAmplitude = textureAmplitude;
    this.textureScaleMm = textureScaleMm;
  }

  /** Water basis fraction. */
  double water() {
    return water;
  }

  /** Cortical-bone basis fraction. */
  double bone() {
    return bone;
  }

  /** Relative density variation of the tissue's texture (0 = uniform). */
  double textureAmplitude() {
    return textureAmplitude;
  }

  /** Length scale of the texture (mm). */
  double textureScaleMm() {
    return textureScaleMm;
  }
}
