package io.seedtrace.detection.phantom.scanned;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scans and reconstructs one slice at a time, reusing all buffers (memory stays bounded by one
 * slice's sinograms and maps, whatever the number of slices).
 *
 * <p>The chain per slice: voxelise the anatomy of the slab, forward-project it (Joseph), add the
 * metal plane by plane through the slice profile, simulate the detector (spectrum, scatter,
 * counting noise, corrections), filter, back-project and convert to CT numbers with the water
 * calibration {@code HU = 1000 (mu / mu_water - 1)}.
 */
final class SliceSimulator {

  private static final double ANATOMY_GRID_MIN_MM = 0.9;

  private final ScanSpec spec;
  private final Anatomy anatomy;
  private final List<MetalPart> metal;
  private final ScanVolume volume;
  private final AnatomyRaster raster;
  private final ParallelBeam beam;
  private final JosephProjector projector;
  private final ScannerAcquisition acquisition;
  private final FilteredBackProjection fbp;
  private final SliceProfile profile;
  private final MetalSheet sheet = new MetalSheet();
  private final MetalSinogram metalSinogram;
  private final float[] water;
  private final float[] bone;
  private final float[] projections;
  private final float[] image;

  SliceSimulator(ScanSpec spec, Anatomy anatomy, List<MetalPart> metal, ScanVolume volume) {
    this.spec = spec;
    this.anatomy = anatomy;
    this.metal = metal;
    this.volume = volume;
    this.raster = new AnatomyRaster(anatomy.extent(), Math.max(ANATOMY_GRID_MIN_MM, spec.pixelMm()));
    this.beam = new ParallelBeam(spec.views(), spec.pixelMm(), reach(anatomy.extent()));
    this.projector = new JosephProjector(raster, beam);
    this.acquisition = new ScannerAcquisition(beam, spec.photonsPerMm() * spec.sliceThicknessMm(),
        spec.scatterFraction());
    this.fbp = new FilteredBackProjection(beam, spec.kernel());
    this.profile = new SliceProfile(spec.sliceThicknessMm());
    this.metalSinogram = new MetalSinogram(beam);
    this.water = new float[beam.rays()];
    this.bone = new float[beam.rays()];
    this.projections = new float[beam.rays()];
    this.image = new float[spec.matrix() * spec.matrix()];
  }

  /** Distance from the isocentre to the farthest corner of the attenuating extent, plus margin. */
  private static double reach(Solid.Bounds e) {
    double x = Math.max(Math.abs(e.minX()), Math.abs(e.maxX()));
    double y = Math.max(Math.abs(e.minY()), Math.abs(e.maxY()));
    return Math.hypot(x, y) + 5;
  }

  /** Simulates slice {@code k} and stores its CT numbers into {@code hu}. */
  void simulate(int k, short[] hu) {
    double z = volume.z(k);
    SplittableRandom random = new SplittableRandom(spec.randomSeed() * 0x9E3779B97F4A7C15L + 31L * k + 7);
    raster.fill(anatomy, z, spec.sliceThicknessMm());
    beam.moveRigidly(spec.motionMm(), random);
    projector.project(water, bone);
    acquisition.begin(water, bone);
    List<MetalPart> near = metalNear(z);
    for (int s = 0; s < profile.offsets.length; s++) {
      if (!near.isEmpty() && sheet.sample(near, z + profile.offsets[s])) {
        metalSinogram.reset();
        sheet.project(beam, metalSinogram);
        acquisition.addMetalPlane(profile.weights[s], metalSinogram);
      }
    }
    acquisition.measure(random, projections);
    fbp.filter(projections);
    int n = spec.matrix();
    fbp.backProject(projections, n, spec.pixelMm(), volume.cx(), volume.cy(), image);
    double muWater = Spectrum.referenceWaterMu();
    int offset = k * n * n;
    for (int p = 0; p < image.length; p++) {
      hu[offset + p] = spec.huScale().store(1000 * (image[p] / muWater - 1));
    }
  }

  private List<MetalPart> metalNear(double z) {
    double reachZ = Math.max(Math.abs(profile.offsets[0]), Math.abs(profile.offsets[profile.offsets.length - 1]));
    List<MetalPart> near = new ArrayList<>();
    for (MetalPart part : metal) {
      Solid.Bounds b = part.solid().bounds();
      if (b.maxZ() >= z - reachZ && b.minZ() <= z + reachZ) {
        near.add(part);
      }
    }
    return near;
  }
}
