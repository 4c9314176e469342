package io.seedtrace.detection.phantom;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.plan.RigidTransform;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A male pelvis made of analytic shapes, scanned twice at test time: as a CT (Hounsfield units) and
 * as a T2-weighted MR with its own grid, noise and a smooth bias field, the MR's patient coordinates
 * related to the CT's by a known rigid motion. The two contrasts are not a monotone function of each
 * other: fat and marrow are bright on MR and dark (fat) or mid-grey (marrow) on CT, cortical bone is
 * the brightest on CT and nearly black on MR, urine is the brightest on MR and water on CT.
 *
 * <p>Used by the registration's tests and by the verification's fusion tests, which write both
 * scans as DICOM series. Coordinates are LPS mm with the prostate near the origin. Each voxel is the average of 2 x 2 x 2
 * points inside it, so edges are partial-volume blurred as a scanner blurs them.
 */
public final class FusionPhantom {

  /** Tissues with their CT number and T2-weighted MR signal. */
  public enum Tissue {
    AIR(-1000, 0), GAS(-990, 10), FAT(-100, 850), MUSCLE(50, 250), PROSTATE(35, 560), URINE(5, 1400),
    STOOL(20, 330), MARROW(250, 720), CORTICAL(1000, 30);

    final double hu;
    final double t2;

    Tissue(double hu, double t2) {
      this.hu = hu;
      this.t2 = t2;
    }
  }

  /** The prostate: centre and semi-axes (mm), the target whose registration error is measured. */
  private static final double[] PROSTATE_CENTRE = {2, -5, 0};
  private static final double[] PROSTATE_RADII = {22, 16, 19};

  /** Centre of the prostate ellipsoid in CT coordinates (mm). */
  public static double[] prostateCentre() {
    return PROSTATE_CENTRE.clone();
  }

  /** Semi-axes of the prostate ellipsoid along x, y, z (mm). */
  public static double[] prostateRadii() {
    return PROSTATE_RADII.clone();
  }

  private FusionPhantom() {}

  /** The tissue at CT coordinates (x, y, z); later shapes paint over earlier ones. */
  public static Tissue tissue(double x, double y, double z) {
    if (!inEllipse(x, y, 0, 0, 112, 82)) {
      return Tissue.AIR;
    }
    Tissue t = inEllipse(x, y, 0, 0, 98, 68) ? Tissue.MUSCLE : Tissue.FAT;
    if (inEllipse(x, y, 0, 2, 56, 44)) {
      t = Tissue.FAT;
    }
    t = bone(x, y, z, t);
    if (inEllipsoid(x, y, z, 0, -16, 40, 42, 30, 26)) {
      t = inEllipsoid(x, y, z, 0, -16, 40, 39, 27, 23) ? Tissue.URINE : Tissue.MUSCLE;
    }
    double rx = x;
    double ry = y - 30;
    if (rx * rx + ry * ry < 15 * 15 && z < 60) {
      t = rx * rx + ry * ry < 11 * 11 ? Tissue.STOOL : Tissue.MUSCLE;
      if (inEllipsoid(x, y, z, 1, 24, -22, 6, 4, 10)) {
        t = Tissue.GAS;
      }
    }
    if (inEllipsoid(x, y, z, PROSTATE_CENTRE[0], PROSTATE_CENTRE[1], PROSTATE_CENTRE[2], PROSTATE_RADII[0],
        PROSTATE_RADII[1], PROSTATE_RADII[2])) {
      t = Tissue.PROSTATE;
    }
    return t;
  }

  /** Femoral heads and necks, pubic symphysis, ischia, sacrum and iliac wings: cortex around marrow. */
  private static Tissue bone(double x, double y, double z, Tissue t) {
    for (int side = -1; side <= 1; side += 2) {
      t = shell(x, y, z, side * 78, 2, -12, 23, 23, 23, t);
      t = shell(x, y, z, side * 96, 8, -40, 14, 14, 30, t);
      t = shell(x, y, z, side * 40, 28, -30, 9, 22, 14, t);
      t = shell(x, y, z, side * 74, 40, 55, 12, 38, 42, t);
    }
    t = shell(x, y, z, 0, -47, -6, 26, 7, 17, t);
    return shell(x, y, z, 0, 64, 45, 34, 11, 45, t);
  }

  private static Tissue shell(double x, double y, double z, double cx, double cy, double cz, double a, double b,
      double c, Tissue t) {
    if (!inEllipsoid(x, y, z, cx, cy, cz, a, b, c)) {
      return t;
    }
    return inEllipsoid(x, y, z, cx, cy, cz, a - 3, b - 3, c - 3) ? Tissue.MARROW : Tissue.CORTICAL;
  }

  private static boolean inEllipse(double x, double y, double cx, double cy, double a, double b) {
    double u = (x - cx) / a;
    double v = (y - cy) / b;
    return u * u + v * v <= 1;
  }

  private static boolean inEllipsoid(double x, double y, double z, double cx, double cy, double cz, double a,
      double b, double c) {
    double u = (x - cx) / a;
    double v = (y - cy) / b;
    double w = (z - cz) / c;
    return u * u + v * v + w * w <= 1;
  }

  /** An axial CT of 144 x 112 x 64 voxels of 1.6 x 1.6 x 2.5 mm centred on the pelvis, 12 HU noise. */
  public static CtScan ct(long seed) {
    double[] origin = {-71.5 * 1.6, -55.5 * 1.6, -31.5 * 2.5};
    return scan(144, 112, 64, 1.6, 1.6, 2.5, origin, RigidTransform.identity(), false, seed);
  }

  /**
   * A T2-weighted MR of 176 x 144 x 36 voxels of 1.2 x 1.2 x 3 mm, centred on the prostate, whose
   * patient coordinates map onto the CT's by {@code mrToCt}; its slices are tilted by
   * {@code gridTilt} (an oblique acquisition) in its own coordinates. Noise 25, bias field +-30%.
   */
  public static CtScan mr(RigidTransform mrToCt, RigidTransform gridTilt, long seed) {
    double[] centre = mrToCt.inverse().apply(PROSTATE_CENTRE);
    double[] r = gridTilt.rotation();
    double[] row = {r[0], r[3], r[6]};
    double[] column = {r[1], r[4], r[7]};
    double[] slice = {r[2], r[5], r[8]};
    double[] origin = new double[3];
    for (int a = 0; a < 3; a++) {
      origin[a] = centre[a] - 87.5 * 1.2 * row[a] - 71.5 * 1.2 * column[a] - 17.5 * 3 * slice[a];
    }
    CtScan grid = new CtScan(176, 144, 36, 1.2, 1.2, 3, origin, row, column, slice, new short[176 * 144 * 36]);
    return scan(grid, mrToCt, true, seed);
  }

  /**
   * A T2-weighted MR of any CT (the seed phantom's, say): 0.9 x 0.9 x 2 mm voxels covering the CT's
   * field, centred where the CT's centre appears on the MR, the CT's numbers interpolated at the
   * moved points and turned into MR signal by tissue class (air black, fat bright, soft tissue grey
   * rising with its CT number, marrow bright, cortical bone and metal black: the seeds are signal
   * voids), then the bias field and noise of {@link #mr}.
   */
  public static CtScan mrOf(CtScan ct, RigidTransform mrToCt, long seed) {
    double[] far = ct.toPatient(ct.nx() - 1, ct.ny() - 1, ct.nz() - 1);
    double[] centre = ct.toPatient((ct.nx() - 1) / 2.0, (ct.ny() - 1) / 2.0, (ct.nz() - 1) / 2.0);
    double[] onMr = mrToCt.inverse().apply(centre);
    int nx = (int) Math.ceil(2 * Math.abs(far[0] - centre[0]) / 0.9) + 1;
    int ny = (int) Math.ceil(2 * Math.abs(far[1] - centre[1]) / 0.9) + 1;
    int nz = (int) Math.ceil(2 * Math.abs(far[2] - centre[2]) / 2) + 1;
    double[] origin = {onMr[0] - (nx - 1) / 2.0 * 0.9, onMr[1] - (ny - 1) / 2.0 * 0.9, onMr[2] - (nz - 1) / 2.0 * 2};
    CtScan grid = CtScan.axial(nx, ny, nz, 0.9, 0.9, 2, origin, new short[nx * ny * nz]);
    short[] out = grid.hu();
    IntStream.range(0, nz).parallel().forEach(k -> {
      SplittableRandom noise = new SplittableRandom(seed * 1000 + k);
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          double[] p = mrToCt.apply(grid.toPatient(i, j, k));
          double hu = huAt(ct, p);
          double v = Double.isNaN(hu) ? 0 : signalOf(hu) * bias(p);
          out[i + nx * (j + ny * k)] = (short) Math.round(Math.abs(v + 25 * gaussian(noise)));
        }
      }
    });
    return grid;
  }

  /** T2 signal of a CT number: not monotone (fat bright, bone and metal black). */
  private static double signalOf(double hu) {
    if (hu < -500) {
      return 0;
    }
    if (hu < -30) {
      return 850;
    }
    if (hu < 150) {
      return 250 + 4 * (hu + 30);
    }
    return hu < 500 ? 720 : 30;
  }

  /** The CT number at a patient point by trilinear interpolation; NaN outside the CT (axial CTs only). */
  private static double huAt(CtScan ct, double[] p) {
    double fi = (p[0] - ct.origin()[0]) / ct.dx();
    double fj = (p[1] - ct.origin()[1]) / ct.dy();
    double fk = (p[2] - ct.origin()[2]) / ct.dz();
    if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi < ct.nx() - 1 && fj < ct.ny() - 1 && fk < ct.nz() - 1)) {
      return Double.NaN;
    }
    int i = (int) fi;
    int j = (int) fj;
    int k = (int) fk;
    double sum = 0;
    for (int c = 0; c < 8; c++) {
      int di = c & 1;
      int dj = (c >> 1) & 1;
      int dk = (c >> 2) & 1;
      double w = (di == 1 ? fi - i : 1 - fi + i) * (dj == 1 ? fj - j : 1 - fj + j) * (dk == 1 ? fk - k : 1 - fk + k);
      sum += w * ct.hu()[(i + di) + ct.nx() * ((j + dj) + ct.ny() * (k + dk))];
    }
    return sum;
  }

  private static CtScan scan(int nx, int ny, int nz, double dx, double dy, double dz, double[] origin,
      RigidTransform toCt, boolean mr, long seed) {
    return scan(CtScan.axial(nx, ny, nz, dx, dy, dz, origin, new short[nx * ny * nz]), toCt, mr, seed);
  }

  private static CtScan scan(CtScan grid, RigidTransform toCt, boolean mr, long seed) {
    short[] out = grid.hu();
    int nx = grid.nx();
    int ny = grid.ny();
    IntStream.range(0, grid.nz()).parallel().forEach(k -> {
      SplittableRandom noise = new SplittableRandom(seed * 1000 + k);
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          double sum = 0;
          for (int s = 0; s < 8; s++) {
            double[] p = toCt.apply(grid.toPatient(i + ((s & 1) - 0.5) / 2, j + (((s >> 1) & 1) - 0.5) / 2,
                k + (((s >> 2) & 1) - 0.5) / 2));
            Tissue t = tissue(p[0], p[1], p[2]);
            sum += mr ? t.t2 * bias(p) : t.hu;
          }
          double v = sum / 8 + gaussian(noise) * (mr ? 25 : 12);
          out[i + nx * (j + ny * k)] = (short) Math.round(mr ? Math.abs(v) : v);
        }
      }
    });
    return grid;
  }

  /** A smooth multiplicative field of the MR coil, +-30% across the body. */
  private static double bias(double[] p) {
    return 1 + 0.18 * p[0] / 110 - 0.12 * p[1] / 80 + 0.08 * Math.cos(p[2] / 45);
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
