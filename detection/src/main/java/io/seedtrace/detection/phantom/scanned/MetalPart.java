package io.seedtrace.detection.phantom.scanned;

/**
 * A piece of metal: a solid of one metal, optionally hollowed by a cavity (a seed capsule is a
 * titanium solid with a cavity holding the radio-opaque core).
 */
record MetalPart(Solid solid, Solid cavity, Metal metal) {

  /** Whether the point (mm) is metal of this part. */
  boolean contains(double x, double y, double z) {
    return solid.contains(x, y, z) && (cavity == null || !cavity.contains(x, y, z));
  }
}
