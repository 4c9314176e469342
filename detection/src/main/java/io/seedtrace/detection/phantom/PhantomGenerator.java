package io.seedtrace.detection.phantom;

import io.seedtrace.detection.CtScan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic post-implant CT with ground truth, deterministic for a seed. Each metal object is
 * rendered with partial volume (supersampled voxels) and a blooming point-spread (a Gaussian of
 * sigma 0.55 mm in the slice plane and 0.42 x the slice thickness along it); values use an extended HU
 * scale, as scanners do for metal. Titanium seeds are 0.8 x 4.5 mm cylinders, the gold fiducial
 * 1.2 x 3 mm, the clip 0.35 x 8 mm. Bone (~1000 HU) and calcifications (300-900 HU) are softer and
 * dimmer; noise is Gaussian. With {@link PhantomSpec#streaks()}, every slice holding metal gets the
 * metal artefacts a scanner would reconstruct ({@link MetalStreaks}): the slice's metal alone is
 * forward-projected (parallel beam, 180 views), its line integrals are perturbed by beam hardening
 * (p' = ln(1 + 5 p) / 5) and photon-starvation noise (variance growing as exp(p) - 1), and the
 * filtered back-projection of the perturbed minus the ideal projections is added in HU: dark bands
 * of some tens of HU between seeds (darker, up to a few hundred HU, next to them), bright and dark
 * radial streaks, noisy streaks and a dark halo around the gold fiducial, and a slight cupping of the
 * metal itself.
 */
public final class PhantomGenerator {

  private static final double SEED_RADIUS = 0.4;
  private static final double SEED_LENGTH = 4.5;
  private static final double TITANIUM = 14000;
  /**
   * A model-6711-like seed: a thin titanium capsule (0.8 x 4.5 mm, 0.05 mm wall: about 0.7 mm3 of
   * titanium, drawn as a rod of the capsule's size at the capsule's mean contrast) around a silver
   * marker rod of 0.5 x 3.0 mm. Silver is far denser than titanium, so the seed's metal is
   * concentrated in the marker: its peak stands well above any tissue, as on clinical CTs (the
   * foreign cases showed that a uniform titanium rod is much dimmer than real seeds). Silver
   * attenuates about 2.5 cm2/g at 70 keV, 26 /cm at its density, some 130000 HU: the seed holds
   * about 80000 HU x mm3 of it, as the two independent generators' seeds do (90000-150000).
   */
  private static final double CAPSULE = 2300;
  private static final double SILVER = 130000;
  private static final double MARKER_RADIUS = 0.25;
  private static final double MARKER_LENGTH = 3.0;
  /** Gold attenuates about three to four times as much as silver at CT energies. */
  private static final double GOLD = 4 * 130000;

  private PhantomGenerator() {}

  public static Phantom generate(PhantomSpec spec) {
    Scene scene = new Scene(spec);
    scene.body();
    scene.isolatedSeeds();
    scene.touchingClusters();
    scene.edgeCutSeeds();
    if (spec.distractors()) {
      scene.distractors();
    }
    return scene.scan();
  }

  /**
   * One phantom being generated: the volume (extended HU, before noise), its geometry, the random
   * stream (drawn from in a fixed order: seeds, clusters, edge seeds, distractors, streaks, noise),
   * the metal recorded for the streaks, and the truth placed so far.
   */
  private static final class Scene {

    private final PhantomSpec spec;
    private final Random random;
    private final int nx;
    private final int ny;
    private final int nz;
    private final double px;
    private final double dz;
    private final float[] v;
    private final double[] origin;
    private final double cx = 0;
    private final double cy = 0;
    private final double zc;
    private final double bodyA;
    private final double bodyB;
    private final MetalStreaks metal;
    private final double sigmaXy = 0.55;
    private final double sigmaZ;
    private final List<Phantom.TruthSeed> truth = new ArrayList<>();
    private final List<double[]> distractors = new ArrayList<>();
    private final double spreadX;
    private final double spreadY;
    private final double zLo;
    private final double zHi;
    private final List<double[]> occupied = new ArrayList<>();

    Scene(PhantomSpec spec) {
      this.spec = spec;
      random = new Random(spec.randomSeed());
      nx = spec.nx();
      ny = spec.ny();
      nz = spec.nz();
      px = spec.pixelMm();
      dz = spec.sliceMm();
      v = new float[nx * ny * nz];
      origin = new double[] {-nx * px / 2, -ny * px / 2, 0};
      zc = nz * dz / 2;
      bodyA = nx * px * 0.42;
      bodyB = ny * px * 0.34;
      metal = spec.streaks() ? new MetalStreaks(nx, ny, nz, px, origin) : null;
      sigmaZ = Math.max(0.5, 0.42 * dz);
      spreadX = Math.min(bodyA * 0.5, 30);
      spreadY = Math.min(bodyB * 0.5, 25);
      zLo = 2 * dz + SEED_LENGTH;
      zHi = nz * dz - 2 * dz - SEED_LENGTH;
    }

    /** The body: an ellipse of soft tissue with a fat rim, and for a lung two lung fields; air around. */
    void body() {
      for (int k = 0; k < nz; k++) {
        for (int j = 0; j < ny; j++) {
          double y = origin[1] + j * px;
          for (int i = 0; i < nx; i++) {
            double x = origin[0] + i * px;
            double r = (x * x) / (bodyA * bodyA) + (y * y) / (bodyB * bodyB);
            float value;
            if (r > 1) {
              value = -1000;
            } else if (spec.anatomy() == PhantomSpec.Anatomy.LUNG && r < 0.75 && Math.abs(x) > bodyA * 0.15) {
              value = -800;
            } else {
              value = r > 0.85 ? -100 : 40;
            }
            v[i + nx * (j + ny * k)] = value;
          }
        }
      }
    }

    /** Isolated seeds along needle tracks, 10 mm apart. */
    void isolatedSeeds() {
      int placed = 0;
      int attempts = 0;
      while (placed < spec.seeds() && attempts++ < 20000) {
        double[] axis = direction(spec.anatomy(), random);
        double tx = cx + (random.nextDouble() * 2 - 1) * spreadX;
        double ty = cy + (random.nextDouble() * 2 - 1) * spreadY;
        double z0 = zLo + random.nextDouble() * Math.max(1, zHi - zLo);
        int perTrack = 1 + random.nextInt(4);
        for (int s = 0; s < perTrack && placed < spec.seeds(); s++) {
          double[] c = {tx + axis[0] * 10 * s, ty + axis[1] * 10 * s, z0 + axis[2] * 10 * s};
          if (c[2] < zLo || c[2] > zHi || !free(occupied, c, 7.0)) {
            break;
          }
          occupied.add(c);
          seed(v, spec, origin, c, axis, sigmaXy, sigmaZ, metal);
          truth.add(new Phantom.TruthSeed(c, axis, false, false));
          placed++;
        }
      }
    }

    /** Touching clusters: pairs side by side or end to end, triples side by side. */
    void touchingClusters() {
      for (int p = 0; p < spec.pairs() + spec.triples(); p++) {
        int size = p < spec.pairs() ? 2 : 3;
        double[] c = null;
        for (int a = 0; a < 2000 && c == null; a++) {
          double[] cand = {cx + (random.nextDouble() * 2 - 1) * spreadX, cy + (random.nextDouble() * 2 - 1) * spreadY,
              zLo + random.nextDouble() * Math.max(1, zHi - zLo)};
          if (free(occupied, cand, 9.0)) {
            c = cand;
          }
        }
        if (c == null) {
          continue;
        }
        occupied.add(c);
        cluster(c, size);
      }
    }

    /** One cluster of {@code size} touching seeds around {@code c}. */
    private void cluster(double[] c, int size) {
      double[] axis = direction(spec.anatomy(), random);
      double[] side = perpendicular(axis, random);
      boolean endToEnd = size == 2 && random.nextBoolean();
      for (int s = 0; s < size; s++) {
        double offset = s - (size - 1) / 2.0;
        double[] sc = endToEnd
            ? new double[] {c[0] + axis[0] * offset * 4.7, c[1] + axis[1] * offset * 4.7, c[2] + axis[2] * offset * 4.7}
            : new double[] {c[0] + side[0] * offset * 0.95, c[1] + side[1] * offset * 0.95,
                c[2] + side[2] * offset * 0.95};
        seed(v, spec, origin, sc, axis, sigmaXy, sigmaZ, metal);
        truth.add(new Phantom.TruthSeed(sc, axis, true, false));
      }
    }

    /** Seeds cut by the first or last slice. */
    void edgeCutSeeds() {
      for (int e = 0; e < spec.edgeCutSeeds(); e++) {
        double[] axis = {0, 0, 1};
        double z = e % 2 == 0 ? 0.3 : (nz - 1) * dz - 0.3;
        double[] c = {cx + (random.nextDouble() * 2 - 1) * spreadX, cy + (random.nextDouble() * 2 - 1) * spreadY, z};
        seed(v, spec, origin, c, axis, sigmaXy, sigmaZ, metal);
        truth.add(new Phantom.TruthSeed(c, axis, false, true));
      }
    }

    /** Pelvic bone, calcifications, a surgical clip and a gold fiducial. */
    void distractors() {
      // Pelvic bone: two dense ellipsoids at the sides.
      for (int side = -1; side <= 1; side += 2) {
        double[] c = {side * bodyA * 0.7, 0, zc};
        blob(v, spec, origin, c, new double[] {bodyA * 0.12, bodyB * 0.35, nz * dz * 0.6}, 950, 1.0);
        distractors.add(c);
      }
      // Calcifications: small, 300-900 HU.
      for (int n = 0; n < 6; n++) {
        double[] c = {(random.nextDouble() * 2 - 1) * spreadX, (random.nextDouble() * 2 - 1) * spreadY,
            zLo + random.nextDouble() * Math.max(1, zHi - zLo)};
        if (free(occupied, c, 6)) {
          double radius = 0.7 + random.nextDouble() * 0.8;
          blob(v, spec, origin, c, new double[] {radius, radius, radius}, 300 + random.nextDouble() * 600, 0.4);
          distractors.add(c);
        }
      }
      double[] clipCentre = {spreadX * 1.25, -spreadY * 1.1, zc};
      rod(v, spec, origin, clipCentre, normalize(new double[] {1, 0.3, 0.2}), 0.175, 8.0, TITANIUM, sigmaXy, sigmaZ,
          metal);
      distractors.add(clipCentre);
      double[] goldCentre = {-spreadX * 1.25, spreadY * 1.1, zc + 5};
      rod(v, spec, origin, goldCentre, normalize(new double[] {0.2, 0.1, 1}), 0.6, 3.0, GOLD, sigmaXy, sigmaZ, metal);
      distractors.add(goldCentre);
    }

    /** The scan: metal streaks added, then noise, rounded and clamped to the stored HU range. */
    Phantom scan() {
      if (metal != null) {
        metal.apply(v, bodyA, bodyB, spec.noiseHu(), random.nextLong());
      }
      short[] hu = new short[v.length];
      for (int n = 0; n < v.length; n++) {
        double value = v[n] + random.nextGaussian() * spec.noiseHu();
        hu[n] = (short) Math.max(-1024, Math.min(30000, Math.round(value)));
      }
      CtScan scan = CtScan.axial(nx, ny, nz, px, px, dz, origin, hu);
      return new Phantom(scan, truth, distractors);
    }
  }

  private static boolean free(List<double[]> occupied, double[] c, double minDistance) {
    for (double[] o : occupied) {
      double d = Math.sqrt((o[0] - c[0]) * (o[0] - c[0]) + (o[1] - c[1]) * (o[1] - c[1]) + (o[2] - c[2]) * (o[2] - c[2]));
      if (d < minDistance) {
        return false;
      }
    }
    return true;
  }

  private static double[] direction(PhantomSpec.Anatomy anatomy, Random r) {
    if (anatomy == PhantomSpec.Anatomy.PROSTATE) {
      double tilt = Math.toRadians(r.nextDouble() * 15);
      double phi = r.nextDouble() * 2 * Math.PI;
      return new double[] {Math.sin(tilt) * Math.cos(phi), Math.sin(tilt) * Math.sin(phi), Math.cos(tilt)};
    }
    double z = r.nextDouble() * 2 - 1;
    double phi = r.nextDouble() * 2 * Math.PI;
    double s = Math.sqrt(1 - z * z);
    double[] d = {s * Math.cos(phi), s * Math.sin(phi), z};
    if (d[2] < 0) {
      d[0] = -d[0];
      d[1] = -d[1];
      d[2] = -d[2];
    }
    return d;
  }

  private static double[] perpendicular(double[] a, Random r) {
    double[] t = Math.abs(a[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
    double[] p = cross(a, t);
    double[] q = cross(a, p);
    double angle = r.nextDouble() * 2 * Math.PI;
    return normalize(new double[] {
        Math.cos(angle) * p[0] + Math.sin(angle) * q[0],
        Math.cos(angle) * p[1] + Math.sin(angle) * q[1],
        Math.cos(angle) * p[2] + Math.sin(angle) * q[2]});
  }

  /** Adds one seed: its capsule and its silver marker. */
  private static void seed(float[] v, PhantomSpec spec, double[] origin, double[] c, double[] axis, double sxy,
      double sz, MetalStreaks metal) {
    rod(v, spec, origin, c, axis, SEED_RADIUS, SEED_LENGTH, CAPSULE, sxy, sz, metal);
    rod(v, spec, origin, c, axis, MARKER_RADIUS, MARKER_LENGTH, SILVER, sxy, sz, metal);
  }

  /**
   * Adds a cylinder with partial volume and blooming: the rod blurred by a Gaussian point-spread of
   * sigma sxy in the slice plane and sz along the slice axis. Along its axis the profile is the rod's
   * length blurred by the point-spread's spread in that direction; across it, a 2-D Gaussian whose
   * covariance is the cross-section's (a disc of radius r: r^2/4 per direction) plus the point-spread
   * projected onto the plane across the axis, scaled so that the metal content is kept.
   */
  private static void rod(float[] v, PhantomSpec spec, double[] origin, double[] c, double[] axis, double radius,
      double length, double contrast, double sxy, double sz, MetalStreaks metal) {
    int nx = spec.nx();
    int ny = spec.ny();
    int nz = spec.nz();
    double px = spec.pixelMm();
    double dz = spec.sliceMm();
    double[] u = perpendicularUnit(axis);
    double[] w = cross(axis, u);
    double[] psf = {sxy * sxy, sxy * sxy, sz * sz};
    double cuu = radius * radius / 4 + quadratic(psf, u, u);
    double cvv = radius * radius / 4 + quadratic(psf, w, w);
    double cuv = quadratic(psf, u, w);
    double det = cuu * cvv - cuv * cuv;
    double iuu = cvv / det;
    double ivv = cuu / det;
    double iuv = -cuv / det;
    double peak = radius * radius / (2 * Math.sqrt(det));
    double sAlong = Math.sqrt(quadratic(psf, axis, axis));
    double reach = length / 2 + 3 * Math.max(sxy, sz) + radius;
    int i0 = Math.max(0, (int) Math.floor((c[0] - reach - origin[0]) / px));
    int i1 = Math.min(nx - 1, (int) Math.ceil((c[0] + reach - origin[0]) / px));
    int j0 = Math.max(0, (int) Math.floor((c[1] - reach - origin[1]) / px));
    int j1 = Math.min(ny - 1, (int) Math.ceil((c[1] + reach - origin[1]) / px));
    int k0 = Math.max(0, (int) Math.floor((c[2] - reach - origin[2]) / dz));
    int k1 = Math.min(nz - 1, (int) Math.ceil((c[2] + reach - origin[2]) / dz));
    int ss = 3;
    int width = i1 - i0 + 1;
    for (int k = k0; k <= k1; k++) {
      float[] patch = metal == null || i1 < i0 || j1 < j0 ? null : new float[width * (j1 - j0 + 1)];
      for (int j = j0; j <= j1; j++) {
        for (int i = i0; i <= i1; i++) {
          double sum = 0;
          for (int a = 0; a < ss; a++) {
            for (int b = 0; b < ss; b++) {
              for (int d = 0; d < ss; d++) {
                double x = origin[0] + (i + (a + 0.5) / ss - 0.5) * px - c[0];
                double y = origin[1] + (j + (b + 0.5) / ss - 0.5) * px - c[1];
                double z = origin[2] + (k + (d + 0.5) / ss - 0.5) * dz - c[2];
                double along = x * axis[0] + y * axis[1] + z * axis[2];
                double pu = x * u[0] + y * u[1] + z * u[2];
                double pv = x * w[0] + y * w[1] + z * w[2];
                double fa = 0.5 * erfc((Math.abs(along) - length / 2) / (Math.sqrt(2) * sAlong));
                double fr = peak * Math.exp(-0.5 * (iuu * pu * pu + 2 * iuv * pu * pv + ivv * pv * pv));
                sum += fa * fr;
              }
            }
          }
          float value = (float) (contrast * sum / (ss * ss * ss));
          v[i + nx * (j + ny * k)] += value;
          if (patch != null) {
            patch[i - i0 + width * (j - j0)] = value;
          }
        }
      }
      if (patch != null) {
        metal.add(k, i0, j0, width, j1 - j0 + 1, patch);
      }
    }
  }

  private static double quadratic(double[] diagonal, double[] a, double[] b) {
    return diagonal[0] * a[0] * b[0] + diagonal[1] * a[1] * b[1] + diagonal[2] * a[2] * b[2];
  }

  private static double[] perpendicularUnit(double[] a) {
    double[] t = Math.abs(a[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
    return normalize(cross(a, t));
  }

  private static void blob(float[] v, PhantomSpec spec, double[] origin, double[] c, double[] radii, double contrast,
      double soft) {
    int nx = spec.nx();
    int ny = spec.ny();
    int nz = spec.nz();
    double px = spec.pixelMm();
    double dz = spec.sliceMm();
    for (int k = 0; k < nz; k++) {
      double z = origin[2] + k * dz - c[2];
      if (Math.abs(z) > radii[2] + 3 * soft) {
        continue;
      }
      for (int j = 0; j < ny; j++) {
        double y = origin[1] + j * px - c[1];
        if (Math.abs(y) > radii[1] + 3 * soft) {
          continue;
        }
        for (int i = 0; i < nx; i++) {
          double x = origin[0] + i * px - c[0];
          if (Math.abs(x) > radii[0] + 3 * soft) {
            continue;
          }
          double r = Math.sqrt(x * x / (radii[0] * radii[0]) + y * y / (radii[1] * radii[1]) + z * z / (radii[2] * radii[2]));
          double edge = (r - 1) * Math.min(radii[0], Math.min(radii[1], radii[2]));
          v[i + nx * (j + ny * k)] += (float) (contrast * 0.5 * erfc(edge / (Math.sqrt(2) * soft)));
        }
      }
    }
  }

  private static double erfc(double x) {
    // Abramowitz-Stegun 7.1.26, |error| < 1.5e-7
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erfcAbs = y * Math.exp(-x * x);
    return x >= 0 ? erfcAbs : 2 - erfcAbs;
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  private static double[] normalize(double[] a) {
    double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    return new double[] {a[0] / n, a[1] / n, a[2] / n};
  }
}
