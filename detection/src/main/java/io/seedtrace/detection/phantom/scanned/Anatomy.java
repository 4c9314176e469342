package io.seedtrace.detection.phantom.scanned;

import java.util.List;

/**
 * A patient as an ordered list of tissue layers (each layer paints over the ones before it), with
 * the implant target and the calcified look-alikes that were placed in it.
 *
 * @param layers tissue solids in painting order
 * @param body outer body contour
 * @param extent box enclosing everything that attenuates (body and couch)
 * @param target ellipsoid that receives the implant (prostate or tumour)
 * @param distractors centres of calcifications, phleboliths and bone islands (mm)
 * @param textureSeed seed of the tissue texture field
 */
record Anatomy(List<Layer> layers, Solid.Extrusion body, Solid.Bounds extent,
    Solid.Ellipsoid target, List<double[]> distractors, long textureSeed) {

  /** A tissue filling a solid, its density scaled by {@code density} (1 = nominal). */
  record Layer(Solid solid, Tissue tissue, double density) {}
}
