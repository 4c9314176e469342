package io.seedtrace.detection.phantom.scanned;

/**
 * The patient couch: a flat carbon-fibre plate with a foam core under the patient's back. It sits
 * in every projection and so belongs in the simulated scan even when it is outside the displayed
 * field.
 */
final class Couch {

  static final double HALF_WIDTH = 215;
  static final double THICKNESS = 14;

  private Couch() {}

  /**
   * Adds the couch just under the body (1 mm below its back) and returns the extent the scan must
   * cover: the body and the couch.
   */
  static Solid.Bounds addUnder(AnatomyBuilder b, Solid.Extrusion body) {
    double top = body.cy + body.b + 1;
    add(b, top);
    Solid.Bounds bb = body.bounds();
    return new Solid.Bounds(Math.min(bb.minX(), -HALF_WIDTH), Math.max(bb.maxX(), HALF_WIDTH), bb.minY(),
        top + THICKNESS, bb.minZ(), bb.maxZ());
  }

  /** Adds the couch with its upper surface at {@code top} (mm, y grows posteriorly). */
  static void add(AnatomyBuilder b, double top) {
    Solid.Extrusion plate = new Solid.Extrusion(0, top + THICKNESS / 2, HALF_WIDTH, THICKNESS / 2, 0,
        -400, 400, 0);
    b.add(plate, Tissue.CARBON);
    b.add(plate.inset(1.5), Tissue.FOAM);
  }
}
