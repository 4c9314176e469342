package io.seedtrace.detection.phantom.scanned;

import java.util.List;

/**
 * Everything that defines one simulated CT study: the patient and implant (randomised from
 * {@code randomSeed}), the scan protocol and the reconstruction. Build one with
 * {@link #builder(Site, long)}.
 *
 * @param randomSeed seed of every random choice; the same spec always gives the same phantom
 * @param site body region
 * @param seedDesign seed model implanted
 * @param seedCount number of seeds (0: only distractors)
 * @param seedSpacingMm centre spacing of seeds along a needle track (5.5 or 10 mm typically)
 * @param clusters number of touching groups (pairs and triples, side by side or end to end)
 * @param migratedSeed whether one seed has migrated away from the implant
 * @param cutAtEdge whether the scanned slab ends inside the implant, cutting seeds
 * @param nearBone whether the implant lies against bone (femoral heads and pubis in plane, or a
 *     tumour against spine and ribs): strong streaks
 * @param goldFiducials number of gold fiducial markers (1.2 mm x 3 mm)
 * @param surgicalClip whether a titanium surgical clip lies near the implant
 * @param calcifications number of calcifications (prostate calcifications, lung granulomas)
 * @param phleboliths number of phleboliths (pelvis) or calcified nodes (thorax)
 * @param boneIslands number of small dense bone islands
 * @param matrix image matrix (pixels per side)
 * @param pixelMm pixel size (mm)
 * @param slices number of slices
 * @param sliceThicknessMm nominal slice thickness: full width at half maximum of the slice profile
 * @param sliceSpacingMm distance between slice centres
 * @param views projection angles over 180 degrees
 * @param photonsPerMm unattenuated photons per detector element and view, per mm of slice thickness
 * @param scatterFraction scatter-to-primary scale of the scatter kernel
 * @param motionMm root-mean-square rigid patient shift between view groups (0: still patient)
 * @param kernel reconstruction kernel
 * @param huScale stored CT-number range
 * @param fixedSeeds if not empty, seeds placed exactly here instead of an implant; each entry is
 *     {centre x, y, z, axis x, y, z} in mm
 */
public record ScanSpec(long randomSeed, Site site, SeedDesign seedDesign, int seedCount,
    double seedSpacingMm, int clusters, boolean migratedSeed, boolean cutAtEdge, boolean nearBone,
    int goldFiducials, boolean surgicalClip, int calcifications, int phleboliths, int boneIslands,
    int matrix, double pixelMm, int slices, double sliceThicknessMm, double sliceSpacingMm, int views,
    double photonsPerMm, double scatterFraction, double motionMm, ReconKernel kernel, HuScale huScale,
    List<double[]> fixedSeeds) {

  public ScanSpec {
    if (matrix < 16 || slices < 1 || views < 16) {
      throw new IllegalArgumentException("matrix, slices and views too small");
    }
    if (!(pixelMm > 0 && sliceThicknessMm > 0 && sliceSpacingMm > 0 && photonsPerMm > 0)) {
      throw new IllegalArgumentException("sizes and dose must be positive");
    }
    if (!(seedSpacingMm > 0) || scatterFraction < 0 || motionMm < 0) {
      throw new IllegalArgumentException("seed spacing must be positive, scatter and motion not negative");
    }
    if (seedCount < 0 || clusters < 0 || goldFiducials < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    fixedSeeds = List.copyOf(fixedSeeds);
  }

  /** A builder with a typical protocol: 256 x 0.8 mm, 40 slices of 2 mm, 480 views, soft kernel. */
  public static Builder builder(Site site, long randomSeed) {
    return new Builder(site, randomSeed);
  }

  /** Axial extent covered by the reconstructed slices (mm), slice profile included. */
  public double coverageMm() {
    return (slices - 1) * sliceSpacingMm + sliceThicknessMm;
  }

  /** Mutable builder of a {@link ScanSpec}. */
  public static final class Builder {
    private final Site site;
    private final long randomSeed;
    private SeedDesign seedDesign = SeedDesign.SILVER_ROD_6711;
    private int seedCount = 60;
    private double seedSpacingMm = 5.5;
    private int clusters = 2;
    private boolean migratedSeed;
    private boolean cutAtEdge;
    private boolean nearBone;
    private int goldFiducials;
    private boolean surgicalClip;
    private int calcifications = 3;
    private int phleboliths = 3;
    private int boneIslands = 1;
    private int matrix = 256;
    private double pixelMm = 0.8;
    private int slices = 40;
    private double sliceThicknessMm = 2;
    private double sliceSpacingMm = Double.NaN;
    private int views = 480;
    private double photonsPerMm = 1.0e5;
    private double scatterFraction = 0.02;
    private double motionMm;
    private ReconKernel kernel = ReconKernel.SOFT;
    private HuScale huScale = HuScale.EXTENDED;
    private List<double[]> fixedSeeds = List.of();

    private Builder(Site site, long randomSeed) {
      this.site = site;
      this.randomSeed = randomSeed;
    }

    public Builder seeds(SeedDesign design, int count, double spacingMm) {
      this.seedDesign = design;
      this.seedCount = count;
      this.seedSpacingMm = spacingMm;
      return this;
    }

    public Builder clusters(int count) {
      this.clusters = count;
      return this;
    }

    public Builder migratedSeed(boolean on) {
      this.migratedSeed = on;
      return this;
    }

    public Builder cutAtEdge(boolean on) {
      this.cutAtEdge = on;
      return this;
    }

    public Builder nearBone(boolean on) {
      this.nearBone = on;
      return this;
    }

    public Builder metalDistractors(int fiducials, boolean clip) {
      this.goldFiducials = fiducials;
      this.surgicalClip = clip;
      return this;
    }

    public Builder calcifiedDistractors(int calcs, int phlebs, int islands) {
      this.calcifications = calcs;
      this.phleboliths = phlebs;
      this.boneIslands = islands;
      return this;
    }

    public Builder image(int matrixSize, double pixelSizeMm) {
      this.matrix = matrixSize;
      this.pixelMm = pixelSizeMm;
      return this;
    }

    public Builder slices(int count, double thicknessMm) {
      this.slices = count;
      this.sliceThicknessMm = thicknessMm;
      return this;
    }

    public Builder sliceSpacing(double mm) {
      this.sliceSpacingMm = mm;
      return this;
    }

    public Builder acquisition(int viewCount, double photons, double scatter) {
      this.views = viewCount;
      this.photonsPerMm = photons;
      this.scatterFraction = scatter;
      return this;
    }

    public Builder motion(double mm) {
      this.motionMm = mm;
      return this;
    }

    public Builder reconstruction(ReconKernel k, HuScale scale) {
      this.kernel = k;
      this.huScale = scale;
      return this;
    }

    public Builder fixedSeeds(List<double[]> seeds) {
      this.fixedSeeds = seeds;
      this.seedCount = seeds.size();
      return this;
    }

    public ScanSpec build() {
      double spacing = Double.isNaN(sliceSpacingMm) ? sliceThicknessMm : sliceSpacingMm;
      return new ScanSpec(randomSeed, site, seedDesign, seedCount, seedSpacingMm, clusters,
          migratedSeed, cutAtEdge, nearBone, goldFiducials, surgicalClip, calcifications, phleboliths,
          boneIslands, matrix, pixelMm, slices, sliceThicknessMm, spacing, views, photonsPerMm,
          scatterFraction, motionMm, kernel, huScale, fixedSeeds);
    }
  }
}
