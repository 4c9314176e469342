package io.seedtrace.dosimetry.dvh;

import java.util.ArrayList;
import java.util.List;

/** Structures of known geometry, contoured the way a planning system would (one polygon per axial slice). */
final class Shapes {

  private Shapes() {}

  /** A sphere of radius r around (cx, cy, cz), as circles of {@code vertices} points on slices every {@code dz} mm. */
  static Structure sphere(String name, double cx, double cy, double cz, double r, double dz, int vertices) {
    List<Contour> contours = new ArrayList<>();
    int half = (int) Math.floor(r / dz - 0.5);
    for (int s = -half; s <= half; s++) {
      double z = s * dz;
      double rho = Math.sqrt(r * r - z * z);
      contours.add(circle(cx, cy, cz + z, rho, vertices));
    }
    return new Structure(name, contours);
  }

  /**
   * A polygon with the area of the circle of radius rho (vertices pushed out so that the inscribed
   * polygon's area equals pi rho^2).
   */
  static Contour circle(double cx, double cy, double z, double rho, int vertices) {
    double step = 2 * Math.PI / vertices;
    double scale = Math.sqrt(2 * Math.PI / (vertices * Math.sin(step)));
    double[] xy = new double[2 * vertices];
    for (int i = 0; i < vertices; i++) {
      xy[2 * i] = cx + scale * rho * Math.cos(i * step);
      xy[2 * i + 1] = cy + scale * rho * Math.sin(i * step);
    }
    return new Contour(z, xy);
  }

  /** A rectangle x0..x1, y0..y1 on slice z. */
  static Contour rectangle(double x0, double y0, double x1, double y1, double z) {
    return new Contour(z, new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
  }

  /** A box x0..x1, y0..y1 contoured on slices z0, z0 + dz, ..., z1. */
  static Structure box(String name, double x0, double y0, double x1, double y1, double z0, double z1, double dz) {
    List<Contour> contours = new ArrayList<>();
    for (double z = z0; z <= z1 + 1e-9; z += dz) {
      contours.add(rectangle(x0, y0, x1, y1, z));
    }
    return new Structure(name, contours);
  }

  /** A cylinder of radius rho along z from z0 to z1, contoured every dz. */
  static Structure cylinder(String name, double cx, double cy, double rho, double z0, double z1, double dz) {
    List<Contour> contours = new ArrayList<>();
    for (double z = z0; z <= z1 + 1e-9; z += dz) {
      contours.add(circle(cx, cy, z, rho, 64));
    }
    return new Structure(name, contours);
  }
}
