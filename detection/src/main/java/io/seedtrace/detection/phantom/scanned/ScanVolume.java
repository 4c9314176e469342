package io.seedtrace.detection.phantom.scanned;

/**
 * Where the reconstructed volume lies: a square field of {@code matrix} pixels centred on
 * ({@code cx}, {@code cy}) (a targeted reconstruction may be smaller than the body) and
 * {@code slices} slice centres from {@code z0} upwards.
 */
record ScanVolume(int matrix, double pixel, double cx, double cy, int slices, double spacing,
    double thickness, double z0) {

  /** Centre of slice k (mm). */
  double z(int k) {
    return z0 + k * spacing;
  }

  /** Lower end of the scanned slab: the first slice centre minus half a thickness. */
  double slabLow() {
    return z0 - thickness / 2;
  }

  /** Upper end of the scanned slab. */
  double slabHigh() {
    return z(slices - 1) + thickness / 2;
  }

  /** A random height at least {@code margin} mm inside the slab (its middle if the slab is thinner). */
  double randomZ(java.util.SplittableRandom random, double margin) {
    double lo = slabLow() + margin;
    double hi = slabHigh() - margin;
    return hi > lo ? random.nextDouble(lo, hi) : (slabLow() + slabHigh()) / 2;
  }

  /** Whether (x, y) lies at least {@code margin} mm inside the reconstructed field. */
  boolean inField(double x, double y, double margin) {
    double half = (matrix - 1) / 2.0 * pixel - margin;
    return Math.abs(x - cx) <= half && Math.abs(y - cy) <= half;
  }

  /** Whether a point lies inside the volume (field and slab). */
  boolean contains(double[] p) {
    return inField(p[0], p[1], 0) && p[2] >= slabLow() && p[2] <= slabHigh();
  }

  /** The same field with its slab moved so that it starts at {@code newZ0}. */
  ScanVolume startingAt(double newZ0) {
    return new ScanVolume(matrix, pixel, cx, cy, slices, spacing, thickness, newZ0);
  }
}
