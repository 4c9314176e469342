package io.seedtrace.detection.phantom.scanned;

import java.util.SplittableRandom;

/**
 * A male pelvis at the level of the prostate, with z = 0 through the middle of the gland.
 *
 * <p>From outside in: skin, a subcutaneous fat layer of varying thickness, the muscle mass of the
 * pelvic wall and buttocks, and the pelvic fat space holding the organs. The prostate sits behind
 * the pubic symphysis and in front of the rectum (its gas pockets rise to the anterior wall of the
 * lumen as the patient lies on the back); the urine-filled bladder sits on top of it. The femoral
 * heads, their necks and shafts, the acetabula, pubic and ischial rami, sacrum, coccyx and iliac
 * wings are cortical shells around spongy bone. Phleboliths lie in the pelvic veins beside the
 * organs, calcifications inside the prostate. Every size and position is drawn per case.
 */
final class PelvisModel {

  private final AnatomyBuilder b;
  private final ScanSpec spec;
  private Solid.Extrusion body;
  private Solid.Ellipsoid prostate;

  private PelvisModel(ScanSpec spec, SplittableRandom random) {
    this.spec = spec;
    this.b = new AnatomyBuilder(random);
  }

  static Anatomy build(ScanSpec spec, SplittableRandom random) {
    PelvisModel m = new PelvisModel(spec, random);
    m.softTissues();
    m.organs();
    m.bones();
    m.calcifications();
    Solid.Bounds extent = Couch.addUnder(m.b, m.body);
    return m.b.build(m.body, extent, m.prostate);
  }

  private void softTissues() {
    double a = b.uniform(160, 195);
    double bb = b.uniform(112, 138);
    body = new Solid.Extrusion(0, 8, a, bb, 0, -400, 400, 0.04);
    b.add(body, Tissue.SKIN);
    b.add(body.inset(2), Tissue.FAT);
    double fat = b.uniform(12, 35);
    b.add(body.inset(2 + fat), Tissue.MUSCLE);
    b.add(new Solid.Extrusion(0, 12, b.uniform(48, 60), b.uniform(58, 72), 0, -400, 400, 0.05),
        Tissue.FAT);
    for (int side = -1; side <= 1; side += 2) {
      b.add(new Solid.Ellipsoid(side * b.uniform(50, 56), 5, 0, 9, 32, 70, side * 0.15), Tissue.MUSCLE);
      b.add(new Solid.Extrusion(side * b.uniform(62, 72), -32, 6, 6, 0, -10, 300, 0), Tissue.BLOOD);
      b.add(new Solid.Extrusion(side * b.uniform(55, 62), -20, 9, 7, 0, -10, 300, 0), Tissue.BLOOD);
    }
  }

  private void organs() {
    double py = b.uniform(-8, 5);
    prostate = new Solid.Ellipsoid(b.uniform(-3, 3), py, 0, b.uniform(19, 26), b.uniform(14, 19),
        b.uniform(17, 24), b.uniform(-0.1, 0.1));
    double rr = b.uniform(13, 19);
    double ry = py + prostate.b + rr + 3;
    Solid.Rod rectum = new Solid.Rod(new double[] {0, ry - 4, -90}, new double[] {0, ry + 12, 80}, rr, true);
    b.add(rectum, Tissue.MUSCLE);
    b.add(new Solid.Rod(rectum.p0(), rectum.p1(), rr - 3, true), Tissue.STOOL);
    int pockets = 1 + b.random().nextInt(4);
    for (int g = 0; g < pockets; g++) {
      double z = b.uniform(-60, 60);
      double axisY = ry - 4 + 16 * (z + 90) / 170;
      b.add(new Solid.Ellipsoid(b.uniform(-4, 4), axisY - (rr - 3) * 0.45, z, b.uniform(4, 9),
          b.uniform(3, 6), b.uniform(5, 15), b.uniform(-0.3, 0.3)), Tissue.GAS);
    }
    double bc = b.uniform(25, 40);
    Solid.Ellipsoid bladder = new Solid.Ellipsoid(0, py - 12, prostate.c + bc - 4, b.uniform(35, 55),
        b.uniform(28, 42), bc, 0);
    b.add(bladder, Tissue.MUSCLE);
    b.add(bladder.inset(3), Tissue.URINE);
    for (int side = -1; side <= 1; side += 2) {
      b.add(new Solid.Ellipsoid(side * 18, py + prostate.b + 2, prostate.c + 6, 16, 5, 7, side * 0.5),
          Tissue.PROSTATE);
    }
    b.add(prostate, Tissue.PROSTATE);
  }

  private void bones() {
    double fx = b.uniform(85, 98);
    double fy = b.uniform(-5, 10);
    double fz = spec.nearBone() ? b.uniform(-5, 5) : b.uniform(15, 30);
    for (int side = -1; side <= 1; side += 2) {
      hip(side, fx, fy, fz);
    }
    double symY = spec.nearBone() ? b.uniform(-58, -50) : b.uniform(-72, -62);
    double symZ = spec.nearBone() ? 0 : b.uniform(5, 15);
    for (int side = -1; side <= 1; side += 2) {
      Solid.Ellipsoid pubis = new Solid.Ellipsoid(side * 11, symY, symZ, 9, 15, 22, side * 0.3);
      b.bone(pubis, pubis.inset(2));
      rod(new double[] {side * 10, symY + 4, symZ + 8}, new double[] {side * (fx - 18), fy - 12, fz}, 9);
      rod(new double[] {side * 12, symY + 6, symZ - 18}, new double[] {side * 50, 38, fz - 55}, 8);
      rod(new double[] {side * (fx - 12), fy + 16, fz - 5}, new double[] {side * 52, 42, fz - 50}, 13);
      Solid.Ellipsoid ilium = new Solid.Ellipsoid(side * 95, 55, fz + 90, 62, 13, 70, side * 0.9);
      b.bone(ilium, ilium.inset(2.5));
    }
    rod(new double[] {0, 88, -35}, new double[] {0, 108, 25}, 9);
    Solid.Ellipsoid sacrum = new Solid.Ellipsoid(0, 112, 95, 50, 22, 65, 0);
    b.bone(sacrum, sacrum.inset(2.5));
    for (int k = 0; k < spec.boneIslands(); k++) {
      int side = b.random().nextBoolean() ? 1 : -1;
      double[] c = {side * (fx + b.uniform(-6, 6)), fy + b.uniform(-6, 6), fz + b.uniform(-6, 6)};
      b.calcifiedSpot(c, b.uniform(1.2, 2.5), Tissue.CORTICAL);
    }
  }

  /** Acetabulum, femoral neck, greater trochanter, shaft and head of one side. */
  private void hip(int side, double fx, double fy, double fz) {
    double rh = b.uniform(21, 25);
    Solid.Ellipsoid acetabulum = new Solid.Ellipsoid(side * (fx - 7), fy, fz, rh + 7, rh + 7, rh + 6, 0);
    b.bone(acetabulum, acetabulum.inset(2.5));
    double[] troch = {side * (fx + 38), fy + 12, fz - 38};
    rod(new double[] {side * fx, fy, fz}, troch, 13);
    Solid.Ellipsoid trochanter = new Solid.Ellipsoid(troch[0], troch[1], troch[2], 17, 21, 26, 0);
    b.bone(trochanter, trochanter.inset(2));
    Solid.Rod shaft = new Solid.Rod(troch, new double[] {side * (fx + 22), fy + 20, -400}, 14, false);
    b.shaft(shaft, new Solid.Rod(shaft.p0(), shaft.p1(), 9, false));
    b.add(new Solid.Ellipsoid(side * fx, fy, fz, rh + 1.5, rh + 1.5, rh + 1.5, 0), Tissue.CARTILAGE);
    Solid.Ellipsoid head = new Solid.Ellipsoid(side * fx, fy, fz, rh, rh, rh, 0);
    b.bone(head, head.inset(1.8));
  }

  private void rod(double[] p0, double[] p1, double radius) {
    b.bone(new Solid.Rod(p0, p1, radius, true), new Solid.Rod(p0, p1, radius - 2.2, true));
  }

  private void calcifications() {
    for (int k = 0; k < spec.calcifications(); k++) {
      double[] c = insideEllipsoid(prostate, 0.75);
      b.calcifiedSpot(c, b.uniform(0.6, 1.8), Tissue.CALCIFICATION);
    }
    for (int k = 0; k < spec.phleboliths(); k++) {
      int side = b.random().nextBoolean() ? 1 : -1;
      double[] c = {side * b.uniform(30, 58), b.uniform(-25, 35), b.uniform(-25, 45)};
      b.phlebolith(c, b.uniform(1.5, 3.0));
    }
  }

  private double[] insideEllipsoid(Solid.Ellipsoid e, double scale) {
    while (true) {
      double u = b.uniform(-1, 1);
      double v = b.uniform(-1, 1);
      double w = b.uniform(-1, 1);
      if (u * u + v * v + w * w <= 1) {
        return new double[] {e.cx + u * e.a * scale, e.cy + v * e.b * scale, e.cz + w * e.c * scale};
      }
    }
  }
}
