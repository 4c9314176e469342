package io.seedtrace.detection.phantom.scanned;

/**
 * Branching pulmonary vessels or bronchi grown from the hilum into a lung.
 *
 * <p>Each branch is a straight tube that splits in two at its end; the children turn away by 20 to
 * 40 degrees and are about three quarters as wide, so after a few generations the tubes are below a
 * millimetre, as the vessels that make up the fine lung markings on CT. A branch that would leave
 * the lung is shortened or ends. Vessels are blood-filled; bronchi are a soft-tissue wall around an
 * air lumen (the lumen is drawn only while wider than the wall).
 */
final class LungTree {

  private final AnatomyBuilder b;
  private final Solid lung;

  LungTree(AnatomyBuilder b, Solid lung) {
    this.b = b;
    this.lung = lung;
  }

  /** Grows {@code roots} trees from {@code hilum}, trunk radius {@code radius}, {@code depth} splits. */
  void grow(double[] hilum, int roots, double radius, Tissue tissue, int depth) {
    double side = Math.signum(hilum[0]);
    for (int k = 0; k < roots; k++) {
      double dz = (k - (roots - 1) / 2.0) * 2.4 / Math.max(1, roots - 1);
      double[] dir = Vec3.normalise(new double[] {side * 0.8, b.uniform(-0.3, 0.3), dz + b.uniform(-0.2, 0.2)});
      branch(hilum, dir, radius, tissue, depth);
    }
  }

  private void branch(double[] start, double[] dir, double r, Tissue tissue, int depth) {
    double len = b.uniform(8, 18) * (0.5 + r / 6);
    double[] end = null;
    double[] d = dir;
    for (int attempt = 0; attempt < 4 && end == null; attempt++) {
      double[] e = Vec3.along(start, d, len);
      if (lung.contains(e[0], e[1], e[2])) {
        end = e;
      } else {
        d = Vec3.turned(d, Math.toRadians(b.uniform(30, 70)), b.random());
        len *= 0.7;
      }
    }
    if (end == null) {
      return;
    }
    draw(start, end, r, tissue);
    if (depth == 0 || r < 0.7) {
      return;
    }
    for (int c = 0; c < 2; c++) {
      double[] child = Vec3.turned(d, Math.toRadians(b.uniform(15, 40)), b.random());
      branch(end, child, r * b.uniform(0.7, 0.82), tissue, depth - 1);
    }
  }

  /**
   * Scatters {@code count} short peripheral vessels through the lung between {@code zMin} and
   * {@code zMax}, pointing roughly away from the hilum as the real ones do. These are the many
   * sub-millimetre to 1.5 mm vessels that give lung its fine markings, too numerous to grow.
   */
  void periphery(double[] hilum, int count, double zMin, double zMax) {
    Solid.Bounds bb = lung.bounds();
    for (int placed = 0, attempt = 0; placed < count && attempt < 20 * count; attempt++) {
      double[] p = {b.uniform(bb.minX(), bb.maxX()), b.uniform(bb.minY(), bb.maxY()), b.uniform(zMin, zMax)};
      if (!lung.contains(p[0], p[1], p[2])) {
        continue;
      }
      double[] out = {p[0] - hilum[0], p[1] - hilum[1], p[2] - hilum[2]};
      double n = Math.sqrt(out[0] * out[0] + out[1] * out[1] + out[2] * out[2]);
      double[] jitter = Vec3.randomDirection(b.random());
      double[] dir = Vec3.normalise(new double[] {out[0] / n + 0.6 * jitter[0], out[1] / n + 0.6 * jitter[1],
          out[2] / n + 0.6 * jitter[2]});
      double u = b.uniform(0, 1);
      b.add(new Solid.Rod(p, Vec3.along(p, dir, b.uniform(4, 12)), 0.4 + 1.1 * u * u, true), Tissue.BLOOD);
      placed++;
    }
  }

  private void draw(double[] p0, double[] p1, double r, Tissue tissue) {
    if (tissue == Tissue.GAS) {
      b.add(new Solid.Rod(p0, p1, r, true), Tissue.CARTILAGE);
      if (r > 1.4) {
        b.add(new Solid.Rod(p0, p1, r * 0.7, true), Tissue.GAS);
      }
    } else {
      b.add(new Solid.Rod(p0, p1, r, true), tissue);
    }
  }
}
