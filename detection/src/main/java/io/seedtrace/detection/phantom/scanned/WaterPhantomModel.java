package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/**
 * A 200 mm water cylinder on the couch: the object a CT scanner is calibrated with (water is 0 HU by
 * definition) and on which its noise is specified.
 */
final class WaterPhantomModel {

  static final double RADIUS_MM = 100;

  private WaterPhantomModel() {}

  static Anatomy build(SplittableRandom random) {
    AnatomyBuilder b = new AnatomyBuilder(random);
    Solid.Extrusion cylinder = new Solid.Extrusion(0, 0, RADIUS_MM, RADIUS_MM, 0, -400, 400, 0);
    b.add(cylinder, Tissue.WATER);
    Couch.add(b, RADIUS_MM + 1);
    Solid.Bounds extent = new Solid.Bounds(-Couch.HALF_WIDTH, Couch.HALF_WIDTH, -RADIUS_MM - 1,
        RADIUS_MM + 1 + Couch.THICKNESS, -400, 400);
    return b.build(cylinder, extent, new Solid.Ellipsoid(0, 0, 0, 50, 50, 30, 0));
  }
}
