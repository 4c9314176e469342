package io.seedtrace.dosimetry.dvh;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A delineated structure (organ, target) as closed planar contours on axial slices. Each slice stands
 * for a slab reaching halfway to its neighbouring slices; the first and last slab reach half the
 * slice spacing beyond their contours (the usual convention of planning systems). The spacing is
 * the smallest distance between contoured slices; a structure contoured on one slice only is given
 * {@code defaultThicknessMm}.
 *
 * @param name the structure's name as delineated (ROI Name), e.g. "Prostate"
 * @param contours at least one contour
 */
public record Structure(String name, List<Contour> contours) {

  /** Thickness given to a structure with a single contoured slice. */
  public static final double SINGLE_SLICE_THICKNESS_MM = 1.0;

  public Structure {
    Objects.requireNonNull(name, "name");
    contours = List.copyOf(contours);
    if (contours.isEmpty()) {
      throw new IllegalArgumentException("structure " + name + " has no contour");
    }
  }

  /** The contoured slice positions (z, mm), ascending and distinct. */
  public double[] sliceZ() {
    TreeSet<Double> zs = new TreeSet<>();
    for (Contour c : contours) {
      zs.add(c.zMm());
    }
    return zs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The slab thickness used at the first and last slice: the smallest spacing of contoured slices. */
  public double sliceSpacingMm() {
    double[] z = sliceZ();
    double min = Double.POSITIVE_INFINITY;
    for (int i = 1; i < z.length; i++) {
      min = Math.min(min, z[i] - z[i - 1]);
    }
    return Double.isInfinite(min) ? SINGLE_SLICE_THICKNESS_MM : min;
  }

  /** The contours on slice {@code z}. */
  List<Contour> onSlice(double z) {
    List<Contour> out = new ArrayList<>();
    for (Contour c : contours) {
      if (c.zMm() == z) {
        out.add(c);
      }
    }
    return out;
  }

  /** Bounding box min x, min y, min z, max x, max y, max z (mm), slabs included. */
  public double[] bounds() {
    double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (Contour c : contours) {
      double[] xy = c.vertices();
      for (int i = 0; i < xy.length; i += 2) {
        b[0] = Math.min(b[0], xy[i]);
        b[1] = Math.min(b[1], xy[i + 1]);
        b[3] = Math.max(b[3], xy[i]);
        b[4] = Math.max(b[4], xy[i + 1]);
      }
    }
    double[] z = sliceZ();
    double half = sliceSpacingMm() / 2;
    b[2] = z[0] - half;
    b[5] = z[z.length - 1] + half;
    return b;
  }

  /**
   * Whether point (x, y, z) mm lies inside: in the slab of the nearest contoured slice (the slab
   * convention above) and inside that slice's contours by the even-odd rule (a contour inside
   * another is a hole).
   */
  public boolean contains(double x, double y, double z) {
    double[] zs = sliceZ();
    double nearest = zs[0];
    for (double s : zs) {
      if (Math.abs(s - z) < Math.abs(nearest - z)) {
        nearest = s;
      }
    }
    if (Math.abs(nearest - z) > sliceSpacingMm() / 2) {
      return false;
    }
    boolean inside = false;
    for (Contour c : onSlice(nearest)) {
      inside ^= encloses(c, x, y);
    }
    return inside;
  }

  /**
   * The distance (mm) from a point outside to the outlined volume, each contour taken as the prism
   * of its slab (holes counted as filled); 0 for a point inside a contour's prism.
   */
  public double distanceFromOutsideMm(double x, double y, double z) {
    double half = sliceSpacingMm() / 2;
    double best = Double.POSITIVE_INFINITY;
    for (Contour c : contours) {
      double dz = Math.max(0, Math.abs(z - c.zMm()) - half);
      if (encloses(c, x, y)) {
        best = Math.min(best, dz);
        continue;
      }
      double[] v = c.vertices();
      int n = v.length / 2;
      for (int i = 0, j = n - 1; i < n; j = i++) {
        double ex = v[2 * i] - v[2 * j];
        double ey = v[2 * i + 1] - v[2 * j + 1];
        double len2 = ex * ex + ey * ey;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - v[2 * j]) * ex + (y - v[2 * j + 1]) * ey) / len2));
        double px = v[2 * j] + t * ex - x;
        double py = v[2 * j + 1] + t * ey - y;
        best = Math.min(best, Math.sqrt(px * px + py * py + dz * dz));
      }
    }
    return best;
  }

  /** Whether (x, y) lies inside one closed contour (crossing count). */
  private static boolean encloses(Contour c, double x, double y) {
    double[] v = c.vertices();
    int n = v.length / 2;
    boolean inside = false;
    for (int i = 0, j = n - 1; i < n; j = i++) {
      double yi = v[2 * i + 1];
      double yj = v[2 * j + 1];
      if ((yi > y) != (yj > y) && x < v[2 * j] + (y - yj) * (v[2 * i] - v[2 * j]) / (yi - yj)) {
        inside = !inside;
      }
    }
    return inside;
  }

  /** Total number of vertices, for bounds on the work of rasterising. */
  public int vertexCount() {
    return contours.stream().mapToInt(Contour::size).sum();
  }
}
