package io.seedtrace.detection.phantom.scanned;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.Phantom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a CT phantom by simulating a scan: an analytic patient with implanted seeds and
 * look-alike distractors is voxelised, forward-projected with a polychromatic beam, measured with
 * scatter and counting noise, and reconstructed by filtered back-projection, slice by slice.
 *
 * <p>Everything random derives from the spec's seed, so a spec always yields the same phantom.
 * The truth lists every seed whose metal reaches into the scanned slab (flagged when the slab cuts
 * it) and every distractor centre inside the volume.
 */
public final class ScannedPhantomGenerator {

  private ScannedPhantomGenerator() {}

  /** Builds and scans the phantom described by {@code spec}. */
  public static Phantom generate(ScanSpec spec) {
    SplittableRandom random = new SplittableRandom(spec.randomSeed());
    Anatomy anatomy = anatomy(spec, random.split());
    ImplantPlanner planner = new ImplantPlanner(spec, anatomy, random.split());
    List<PlacedSeed> seeds = spec.seedCount() > 0 ? planner.implant() : new ArrayList<>();
    ScanVolume volume = placeVolume(spec, anatomy, seeds, random.split());
    if (spec.migratedSeed() && spec.seedCount() > 0 && spec.fixedSeeds().isEmpty()) {
      planner.migrate(volume);
    }
    MetalDistractors distractors = new MetalDistractors(random.split(), seeds);
    distractors.fiducials(spec.goldFiducials(), anatomy.target(), spec.site(), volume);
    if (spec.surgicalClip()) {
      distractors.clip(anatomy.target(), volume);
    }
    List<MetalPart> metal = new ArrayList<>(distractors.parts());
    for (PlacedSeed s : seeds) {
      metal.addAll(spec.seedDesign().parts(s.centre(), s.axis()));
    }
    short[] hu = scan(spec, anatomy, metal, volume);
    int n = spec.matrix();
    double[] origin = {volume.cx() - (n - 1) / 2.0 * spec.pixelMm(),
        volume.cy() - (n - 1) / 2.0 * spec.pixelMm(), volume.z0()};
    CtScan scan = CtScan.axial(n, n, spec.slices(), spec.pixelMm(), spec.pixelMm(), spec.sliceSpacingMm(),
        origin, hu);
    List<double[]> distractorTruth = new ArrayList<>();
    for (double[] c : concat(anatomy.distractors(), distractors.centres())) {
      if (volume.contains(c)) {
        distractorTruth.add(c.clone());
      }
    }
    return new Phantom(scan, seedTruth(seeds, volume), distractorTruth);
  }

  private static Anatomy anatomy(ScanSpec spec, SplittableRandom random) {
    switch (spec.site()) {
      case PROSTATE:
        return PelvisModel.build(spec, random);
      case LUNG:
        return ThoraxModel.build(spec, random);
      default:
        return WaterPhantomModel.build(random);
    }
  }

  /**
   * Centres the field on the target and the slab on the implant; with {@code cutAtEdge} the slab's
   * upper end is put through a seed in the upper half of the implant.
   */
  private static ScanVolume placeVolume(ScanSpec spec, Anatomy anatomy, List<PlacedSeed> seeds,
      SplittableRandom random) {
    Solid.Ellipsoid t = anatomy.target();
    ScanVolume centred = new ScanVolume(spec.matrix(), spec.pixelMm(), t.cx, t.cy, spec.slices(),
        spec.sliceSpacingMm(), spec.sliceThicknessMm(), t.cz - (spec.slices() - 1) / 2.0 * spec.sliceSpacingMm());
    if (!spec.cutAtEdge() || seeds.isEmpty()) {
      return centred;
    }
    List<PlacedSeed> upper = seeds.stream().filter(s -> s.centre()[2] > t.cz).toList();
    PlacedSeed cut = (upper.isEmpty() ? seeds : upper).get(random.nextInt(upper.isEmpty() ? seeds.size()
        : upper.size()));
    double high = cut.centre()[2] + random.nextDouble(-0.8, 0.8);
    return centred.startingAt(high - spec.sliceThicknessMm() / 2 - (spec.slices() - 1) * spec.sliceSpacingMm());
  }

  private static short[] scan(ScanSpec spec, Anatomy anatomy, List<MetalPart> metal, ScanVolume volume) {
    int n = spec.matrix();
    short[] hu = new short[n * n * spec.slices()];
    SliceSimulator simulator = new SliceSimulator(spec, anatomy, metal, volume);
    for (int k = 0; k < spec.slices(); k++) {
      simulator.simulate(k, hu);
    }
    return hu;
  }

  private static List<Phantom.TruthSeed> seedTruth(List<PlacedSeed> seeds, ScanVolume volume) {
    boolean[] touching = ImplantPlanner.touching(seeds);
    List<Phantom.TruthSeed> truth = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      PlacedSeed s = seeds.get(i);
      double z = s.centre()[2];
      double ext = s.zHalfExtent();
      boolean reaches = z + ext >= volume.slabLow() && z - ext <= volume.slabHigh();
      if (!reaches || !volume.inField(s.centre()[0], s.centre()[1], 0)) {
        continue;
      }
      boolean cut = z - ext < volume.slabLow() || z + ext > volume.slabHigh();
      truth.add(new Phantom.TruthSeed(s.centre().clone(), s.axis().clone(), touching[i], cut));
    }
    return truth;
  }

  private static List<double[]> concat(List<double[]> a, List<double[]> b) {
    List<double[]> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
