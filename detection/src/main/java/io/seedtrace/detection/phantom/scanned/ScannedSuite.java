package io.seedtrace.detection.phantom.scanned;

import io.seedtrace.detection.phantom.Phantom;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of 22 case types spanning what a seed detector meets in practice: prostate and lung
 * implants, three seed designs, soft and sharp kernels, extended and 12-bit CT scales, 1 to 5 mm
 * slices, 0.6 to 1.0 mm pixels, 192 to 320 matrices, patient motion, touching seeds, seeds cut by
 * the slab edge, a migrated seed, streak-heavy implants against bone, and four cases with
 * distractors only. The protocol of every case is fixed; {@code base} only changes the random
 * seeds, so {@code cases(1)} and {@code cases(2)} are two independent sets of the same kinds.
 */
public final class ScannedSuite {

  /** A named case. */
  public record Case(String name, ScanSpec spec) {

    /** Generates this case's phantom (deterministic; takes seconds). */
    public Phantom generate() {
      return ScannedPhantomGenerator.generate(spec);
    }
  }

  /** Routine photon level (per detector element and view, per mm of slice). */
  static final double ROUTINE_PHOTONS = 1.0e5;
  /** Thin-slice protocol: more tube current to keep 1 mm slices readable. */
  static final double THIN_SLICE_PHOTONS = 2.0e5;
  /** Low-dose photon level. */
  static final double LOW_PHOTONS = 3.0e4;

  private ScannedSuite() {}

  /** The 22 cases of the set numbered {@code base}. */
  public static List<Case> cases(long base) {
    List<Case> cases = new ArrayList<>();
    prostate(base, cases);
    lung(base, cases);
    return cases;
  }

  private static ScanSpec.Builder spec(Site site, long base, int index) {
    long seed = base * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
    return ScanSpec.builder(site, seed);
  }

  private static void prostate(long base, List<Case> c) {
    Site p = Site.PROSTATE;
    c.add(new Case("prostate-6711-soft-3mm", spec(p, base, 1).seeds(SeedDesign.SILVER_ROD_6711, 60, 5.5)
        .slices(30, 3).image(256, 0.8).build()));
    c.add(new Case("prostate-6711-sharp-1mm-12bit", spec(p, base, 2).seeds(SeedDesign.SILVER_ROD_6711, 70, 5.5)
        .slices(60, 1).image(256, 0.7).acquisition(600, THIN_SLICE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.SHARP, HuScale.CLAMPED_12BIT).build()));
    c.add(new Case("prostate-gold-soft-2mm", spec(p, base, 3).seeds(SeedDesign.GOLD_MARKER_RESIN, 50, 5.5)
        .slices(40, 2).image(256, 0.8).build()));
    c.add(new Case("prostate-6711-5mm-12bit", spec(p, base, 4).seeds(SeedDesign.SILVER_ROD_6711, 80, 5.5)
        .slices(24, 5).image(192, 1.0).acquisition(360, ROUTINE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.STANDARD, HuScale.CLAMPED_12BIT).build()));
    c.add(new Case("prostate-clusters-sharp-2mm", spec(p, base, 5).seeds(SeedDesign.SILVER_ROD_6711, 60, 5.5)
        .clusters(6).slices(40, 2).image(256, 0.75).reconstruction(ReconKernel.SHARP, HuScale.EXTENDED).build()));
    c.add(new Case("prostate-motion-soft-3mm", spec(p, base, 6).seeds(SeedDesign.GOLD_MARKER_RESIN, 50, 5.5)
        .slices(30, 3).image(256, 0.8).motion(1.5).build()));
    c.add(new Case("prostate-100-seeds-bone-streaks", spec(p, base, 7).seeds(SeedDesign.SILVER_ROD_6711, 100, 5.5)
        .clusters(4).nearBone(true).metalDistractors(3, false).slices(40, 2).image(256, 0.8)
        .acquisition(480, LOW_PHOTONS, 0.03).reconstruction(ReconKernel.SHARP, HuScale.EXTENDED).build()));
    c.add(new Case("prostate-cut-edge-3mm", spec(p, base, 8).seeds(SeedDesign.TUNGSTEN_WIRE, 55, 5.5)
        .cutAtEdge(true).slices(18, 3).image(256, 0.8).build()));
    c.add(new Case("prostate-migrated-fiducials-clip", spec(p, base, 9).seeds(SeedDesign.SILVER_ROD_6711, 40, 5.5)
        .migratedSeed(true).metalDistractors(3, true).slices(35, 2).image(320, 0.6)
        .acquisition(600, ROUTINE_PHOTONS, 0.02).build()));
    c.add(new Case("prostate-10mm-spacing-5mm", spec(p, base, 10).seeds(SeedDesign.GOLD_MARKER_RESIN, 24, 10)
        .slices(24, 5).image(288, 0.9).reconstruction(ReconKernel.STANDARD, HuScale.EXTENDED).build()));
    c.add(new Case("prostate-no-seeds-fiducials-clip", spec(p, base, 11).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .metalDistractors(3, true).calcifiedDistractors(6, 4, 2).slices(30, 3).image(256, 0.8).build()));
    c.add(new Case("prostate-no-seeds-calcifications", spec(p, base, 12).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .calcifiedDistractors(10, 6, 3).slices(50, 1).image(256, 0.7).acquisition(480, THIN_SLICE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.SHARP, HuScale.CLAMPED_12BIT).build()));
  }

  private static void lung(long base, List<Case> c) {
    Site l = Site.LUNG;
    c.add(new Case("lung-6711-soft-2mm", spec(l, base, 21).seeds(SeedDesign.SILVER_ROD_6711, 30, 5.5)
        .clusters(1).slices(40, 2).image(256, 0.8).build()));
    c.add(new Case("lung-gold-sharp-1mm", spec(l, base, 22).seeds(SeedDesign.GOLD_MARKER_RESIN, 25, 10)
        .slices(60, 1).image(256, 0.7).acquisition(600, THIN_SLICE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.SHARP, HuScale.EXTENDED).build()));
    c.add(new Case("lung-clusters-3mm-overlap-12bit", spec(l, base, 23).seeds(SeedDesign.SILVER_ROD_6711, 40, 5.5)
        .clusters(5).slices(36, 3).sliceSpacing(2.5).image(256, 0.8)
        .reconstruction(ReconKernel.SOFT, HuScale.CLAMPED_12BIT).build()));
    c.add(new Case("lung-near-spine-streaks", spec(l, base, 24).seeds(SeedDesign.SILVER_ROD_6711, 50, 5.5)
        .clusters(2).nearBone(true).slices(40, 2).image(256, 0.8).acquisition(480, LOW_PHOTONS, 0.03)
        .reconstruction(ReconKernel.SHARP, HuScale.EXTENDED).build()));
    c.add(new Case("lung-motion-soft-3mm", spec(l, base, 25).seeds(SeedDesign.TUNGSTEN_WIRE, 30, 5.5)
        .slices(30, 3).image(256, 0.8).motion(2.0).build()));
    c.add(new Case("lung-20-seeds-5mm", spec(l, base, 26).seeds(SeedDesign.GOLD_MARKER_RESIN, 20, 10)
        .slices(24, 5).image(192, 1.0).acquisition(360, ROUTINE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.STANDARD, HuScale.EXTENDED).build()));
    c.add(new Case("lung-cut-edge-migrated", spec(l, base, 27).seeds(SeedDesign.SILVER_ROD_6711, 35, 5.5)
        .cutAtEdge(true).migratedSeed(true).slices(30, 2).image(320, 0.75)
        .acquisition(600, ROUTINE_PHOTONS, 0.02).build()));
    c.add(new Case("lung-fiducials-with-seeds-12bit", spec(l, base, 28).seeds(SeedDesign.GOLD_MARKER_RESIN, 30, 5.5)
        .metalDistractors(3, true).slices(40, 2).image(256, 0.8)
        .reconstruction(ReconKernel.SHARP, HuScale.CLAMPED_12BIT).build()));
    c.add(new Case("lung-no-seeds-fiducials-clip", spec(l, base, 29).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .metalDistractors(3, true).calcifiedDistractors(5, 3, 2).slices(30, 3).image(256, 0.8).build()));
    c.add(new Case("lung-no-seeds-calcified-nodes", spec(l, base, 30).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .metalDistractors(0, true).calcifiedDistractors(8, 4, 2).slices(50, 1).image(256, 0.7)
        .acquisition(480, THIN_SLICE_PHOTONS, 0.02)
        .reconstruction(ReconKernel.SHARP, HuScale.CLAMPED_12BIT).build()));
  }
}
