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

  /** Adds the couch with its upper surface at {@code top} (mm, y grows posteriorly). */
  static void add(AnatomyBuilder b, double top) {
    Solid.Extrusion plate = new Solid.Extrusion(0, top + THICKNESS / 2, HALF_WIDTH, THICKNESS / 2, 0,
        -400, 400, 0);
    b.add(plate, Tissue.CARBON);
    b.add(plate.inset(1.5), Tissue.FOAM);
  }
}
