package io.seedtrace.dosimetry.dvh;

import java.util.Arrays;

/**
 * One closed planar contour of a structure on an axial slice (constant z), patient coordinates in
 * mm: the polygon's vertices x0, y0, x1, y1, ... (the last vertex joins the first). Contours of one
 * slice combine by the even-odd rule, so a contour inside another is a hole, as RT Structure Sets
 * draw them.
 */
public record Contour(double zMm, double[] xy) {

  public Contour {
    if (!Double.isFinite(zMm)) {
      throw new IllegalArgumentException("a contour's z must be finite, got " + zMm);
    }
    if (xy == null || xy.length < 6 || xy.length % 2 != 0) {
      throw new IllegalArgumentException("a closed contour needs at least 3 vertices as x, y pairs, got "
          + (xy == null ? 0 : xy.length) + " numbers");
    }
    xy = xy.clone();
    for (double v : xy) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("contour vertices must be finite");
      }
    }
  }

  /**
   * A contour from DICOM Contour Data (x, y, z triplets). All z must agree within {@code 0.01 mm}:
   * only axial contours are supported.
   *
   * @throws IllegalArgumentException if the points are not triplets, fewer than 3, or not on one axial plane
   */
  public static Contour ofPoints(double[] xyz) {
    if (xyz == null || xyz.length < 9 || xyz.length % 3 != 0) {
      throw new IllegalArgumentException("a closed planar contour needs at least 3 points as x, y, z triplets, got "
          + (xyz == null ? 0 : xyz.length) + " numbers");
    }
    int n = xyz.length / 3;
    double z = xyz[2];
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      if (Math.abs(xyz[3 * i + 2] - z) > 0.01) {
        throw new IllegalArgumentException("contour is not axial: z " + z + " and " + xyz[3 * i + 2]
            + " mm in one contour (only contours on axial slices are supported)");
      }
      xy[2 * i] = xyz[3 * i];
      xy[2 * i + 1] = xyz[3 * i + 1];
    }
    return new Contour(z, xy);
  }

  /** Number of vertices. */
  public int size() {
    return xy.length / 2;
  }

  @Override
  public double[] xy() {
    return xy.clone();
  }

  /** Vertex coordinates without a copy, for the rasteriser of this package. */
  double[] vertices() {
    return xy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Contour c && c.zMm == zMm && Arrays.equals(c.xy, xy);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(zMm) * 31 + Arrays.hashCode(xy);
  }

  @Override
  public String toString() {
    return "Contour[z=" + zMm + ", " + size() + " vertices]";
  }
}
