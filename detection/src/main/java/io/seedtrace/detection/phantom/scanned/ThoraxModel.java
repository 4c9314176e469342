package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/**
 * A thorax with a lung tumour, z = 0 through the tumour.
 *
 * <p>The chest wall (skin, fat, muscle) surrounds a rib cage whose ribs run obliquely, sloping down
 * towards the front, so an axial slice cuts each rib as an oval. The lungs (air-filled parenchyma
 * that becomes denser towards the back, where gravity pulls blood) hold branching trees of vessels
 * and air-filled bronchi (see {@link LungTree}). Between them lie the mediastinum (heart, aorta,
 * vena cava, oesophagus, trachea and main bronchi in fat) and behind it the spine: vertebral bodies
 * with intervertebral discs, the spinal canal and the posterior arches, with the scapulae at the
 * back. The tumour is a soft-tissue mass with spicules, optionally placed against spine and ribs.
 */
final class ThoraxModel {

  private final AnatomyBuilder b;
  private final ScanSpec spec;
  private Solid.Extrusion body;
  private Solid.Extrusion cavity;
  private final Solid.Extrusion[] lungs = new Solid.Extrusion[2];
  private Solid.Ellipsoid tumour;
  private double spineY;
  private double vertebraRadius;

  private ThoraxModel(ScanSpec spec, SplittableRandom random) {
    this.spec = spec;
    this.b = new AnatomyBuilder(random);
  }

  static Anatomy build(ScanSpec spec, SplittableRandom random) {
    ThoraxModel m = new ThoraxModel(spec, random);
    m.chestWall();
    m.lungs();
    m.mediastinum();
    m.tumour();
    m.spine();
    m.ribs();
    m.calcifications();
    Solid.Bounds extent = Couch.addUnder(m.b, m.body);
    return m.b.build(m.body, extent, m.tumour);
  }

  private void chestWall() {
    body = new Solid.Extrusion(0, 0, b.uniform(148, 175), b.uniform(102, 125), 0, -400, 400, 0.04);
    b.add(body, Tissue.SKIN);
    b.add(body.inset(2), Tissue.FAT);
    double fat = b.uniform(8, 25);
    b.add(body.inset(2 + fat), Tissue.MUSCLE);
    cavity = body.inset(2 + fat + b.uniform(9, 15));
    b.add(cavity, Tissue.FAT);
    vertebraRadius = b.uniform(15, 19);
    spineY = cavity.b - vertebraRadius + 8;
    for (int side = -1; side <= 1; side += 2) {
      Solid.Ellipsoid scapula = new Solid.Ellipsoid(side * (cavity.a * 0.62), cavity.b + 4, 40, 55, 6, 90,
          -side * 0.45);
      b.bone(scapula, scapula.inset(2));
    }
  }

  private void lungs() {
    for (int s = 0; s < 2; s++) {
      int side = s == 0 ? -1 : 1;
      double a = cavity.a * b.uniform(0.4, 0.46) * (side > 0 ? 0.94 : 1);
      double cx = side * (cavity.a - a - 2);
      lungs[s] = new Solid.Extrusion(cx, 4, a, cavity.b * 0.9, side * 0.08, -300, 300, -0.12);
      b.add(lungs[s], Tissue.LUNG, 0.9);
      b.add(new Solid.Extrusion(cx, cavity.b * 0.5, a * 0.85, cavity.b * 0.34, 0, -300, 300, -0.12),
          Tissue.LUNG, 1.35);
    }
    for (int s = 0; s < 2; s++) {
      LungTree trees = new LungTree(b, lungs[s]);
      int side = s == 0 ? -1 : 1;
      double[] hilum = {side * 38, 12, b.uniform(-15, 15)};
      trees.grow(hilum, 5, 5.5, Tissue.BLOOD, 8);
      trees.periphery(hilum, 2500, -130, 130);
      trees.grow(new double[] {hilum[0], hilum[1] + 6, hilum[2] + 5}, 3, 5, Tissue.GAS, 5);
    }
  }

  private void mediastinum() {
    b.add(new Solid.Extrusion(0, -8, 32, cavity.b * 0.75, 0, -300, 300, 0), Tissue.FAT);
    Solid.Ellipsoid heart = new Solid.Ellipsoid(18, -cavity.b * 0.3, b.uniform(-70, -45), 62, 48, 70, 0.5);
    b.add(heart, Tissue.MUSCLE);
    b.add(heart.inset(9), Tissue.BLOOD);
    b.add(new Solid.Extrusion(22, cavity.b * 0.55, 12, 12, 0, -300, 300, 0), Tissue.BLOOD);
    b.add(new Solid.Extrusion(6, -cavity.b * 0.25, 15, 15, 0, -25, 300, 0), Tissue.BLOOD);
    b.add(new Solid.Extrusion(-24, -cavity.b * 0.2, 10, 9, 0, -20, 300, 0), Tissue.BLOOD);
    b.add(new Solid.Extrusion(8, cavity.b * 0.45 - 8, 8, 7, 0, -300, 300, 0), Tissue.MUSCLE);
    b.add(new Solid.Extrusion(8, cavity.b * 0.45 - 8, 2.5, 1.5, 0, -300, 300, 0), Tissue.GAS);
    double carina = b.uniform(20, 40);
    Solid.Rod trachea = new Solid.Rod(new double[] {0, 20, 300}, new double[] {0, 22, carina}, 10, true);
    b.add(trachea, Tissue.CARTILAGE);
    b.add(new Solid.Rod(trachea.p0(), trachea.p1(), 8.5, true), Tissue.GAS);
    for (int side = -1; side <= 1; side += 2) {
      double[] end = {side * 42, 24, carina - 35};
      b.add(new Solid.Rod(trachea.p1(), end, 7, true), Tissue.CARTILAGE);
      b.add(new Solid.Rod(trachea.p1(), end, 5.5, true), Tissue.GAS);
    }
  }

  private void spine() {
    double rv = vertebraRadius;
    Solid.Extrusion vertebra = new Solid.Extrusion(0, spineY, rv, rv * 0.85, 0, -300, 300, 0);
    b.add(new Solid.Extrusion(0, spineY + rv + 26, 42, 22, 0, -300, 300, 0), Tissue.MUSCLE);
    b.bone(vertebra, vertebra.inset(1.6));
    Solid.Extrusion arch = new Solid.Extrusion(0, spineY + rv + 9, 15, 13, 0, -300, 300, 0);
    b.bone(arch, arch.inset(2));
    b.add(new Solid.Extrusion(0, spineY + rv + 9, 8, 7.5, 0, -300, 300, 0), Tissue.CSF);
    double level = b.uniform(-15, 10);
    for (double z = level - 5 * 26; z < 300; z += 26) {
      b.add(new Solid.Extrusion(0, spineY, rv - 0.5, rv * 0.85 - 0.5, 0, z, z + 5, 0), Tissue.CARTILAGE);
      double mid = z + 13;
      double[] root = {0, spineY + rv + 18, mid};
      spineRod(root, new double[] {0, spineY + rv + 42, mid - 14}, 4.5);
      spineRod(new double[] {-8, spineY + rv + 8, mid}, new double[] {-30, spineY + rv + 12, mid - 2}, 5);
      spineRod(new double[] {8, spineY + rv + 8, mid}, new double[] {30, spineY + rv + 12, mid - 2}, 5);
    }
    for (int k = 0; k < spec.boneIslands(); k++) {
      double[] c = {b.uniform(-0.5, 0.5) * rv, spineY + b.uniform(-0.4, 0.4) * rv, b.uniform(-25, 25)};
      b.calcifiedSpot(c, b.uniform(1.2, 2.5), Tissue.CORTICAL);
    }
  }

  private void spineRod(double[] p0, double[] p1, double r) {
    b.bone(new Solid.Rod(p0, p1, r, true), new Solid.Rod(p0, p1, r - 1.8, true));
  }

  private void ribs() {
    double pitch = b.uniform(22, 28);
    double rx = cavity.a + 5;
    double ry = cavity.b + 5;
    for (double z0 = b.uniform(-pitch, 0) - 4 * pitch; z0 < 200; z0 += pitch) {
      for (int side = -1; side <= 1; side += 2) {
        rib(side, z0, rx, ry);
      }
    }
  }

  /** One rib from the transverse process round to the costal cartilage, sloping down anteriorly. */
  private void rib(int side, double z0, double rx, double ry) {
    int segments = 12;
    double[][] pts = new double[segments + 1][];
    for (int k = 0; k <= segments; k++) {
      double phi = 0.25 + (2.45 - 0.25) * k / segments;
      pts[k] = new double[] {side * rx * Math.sin(phi), ry * Math.cos(phi), z0 - 70 * (phi - 0.25) / 2.2};
    }
    double rOut = b.uniform(4.8, 6.0);
    for (int k = 0; k < segments; k++) {
      b.add(new Solid.Rod(pts[k], pts[k + 1], rOut, true), Tissue.CORTICAL);
    }
    for (int k = 0; k < segments; k++) {
      b.add(new Solid.Rod(pts[k], pts[k + 1], rOut - 1.6, true), Tissue.TRABECULAR);
    }
    double[] sternal = {side * 12, -ry + 4, pts[segments][2] - 8};
    b.add(new Solid.Rod(pts[segments], sternal, rOut, true), Tissue.CARTILAGE);
  }

  private void tumour() {
    int s = b.random().nextBoolean() ? 1 : 0;
    Solid.Extrusion lung = lungs[s];
    double r = b.uniform(13, 21);
    double cx;
    double cy;
    if (spec.nearBone()) {
      cx = lung.cx - Math.signum(lung.cx) * (lung.a - r - 4) * 0.6;
      cy = spineY - b.uniform(0, 10);
    } else {
      cx = lung.cx + b.uniform(-0.4, 0.4) * (lung.a - r);
      cy = lung.cy + b.uniform(-0.45, 0.3) * (lung.b - r);
    }
    tumour = new Solid.Ellipsoid(cx, cy, 0, r * b.uniform(0.85, 1.15), r * b.uniform(0.85, 1.15),
        r * b.uniform(0.9, 1.3), b.uniform(0, Math.PI));
    b.add(tumour, Tissue.TUMOUR);
    for (int k = 0; k < 8; k++) {
      double[] d = Vec3.randomDirection(b.random());
      double[] start = {cx + d[0] * r * 0.8, cy + d[1] * r * 0.8, d[2] * r * 0.8};
      b.add(new Solid.Rod(start, Vec3.along(start, d, b.uniform(6, 14)), b.uniform(0.6, 1.3), true),
          Tissue.TUMOUR);
    }
  }

  private void calcifications() {
    for (int k = 0; k < spec.calcifications(); k++) {
      Solid.Extrusion lung = lungs[b.random().nextInt(2)];
      double[] c = {lung.cx + b.uniform(-0.6, 0.6) * lung.a, lung.cy + b.uniform(-0.6, 0.6) * lung.b,
          b.uniform(-30, 30)};
      b.calcifiedSpot(c, b.uniform(0.8, 2.2), Tissue.CALCIFICATION);
    }
    for (int k = 0; k < spec.phleboliths(); k++) {
      int side = b.random().nextBoolean() ? 1 : -1;
      double[] c = {side * b.uniform(15, 35), b.uniform(0, 25), b.uniform(-25, 25)};
      b.calcifiedSpot(c, b.uniform(2.0, 4.0), Tissue.CALCIFICATION);
    }
  }
}
