package io.seedtrace.detection.phantom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Metal streak artefacts simulated the way they arise in a scanner, slice by slice, from the metal
 * alone. The metal objects' part of a slice (their added extended-HU values, kept as small patches
 * while they are rendered) is turned into attenuation, mu = {@value #MU_WATER}/mm x HU / 1000, and
 * forward-projected in parallel beam ({@value #ANGLES} views over 180 degrees, detector bins at the
 * pixel size, line integrals p sampled every half pixel with bilinear interpolation). Each ray
 * through metal is then measured the way a polychromatic beam and a photon-counting detector
 * measure it: beam hardening saturates the line integral, p' = ln(1 + k p) / k with k =
 * {@value #HARDENING}, and photon starvation adds Gaussian noise of variance growing as
 * exp(p) - 1 (the counts behind metal fall as exp(-p)), also scaled by the tissue the ray crosses
 * (the body ellipse's chord) and by the scan's noise level. The difference p' - p is filtered
 * (Shepp-Logan) and back-projected; in HU it is the artefact that a reconstruction of the measured
 * data would add to the true image: dark bands along the lines joining metal objects, bright and
 * dark radial streaks, noisy streaks behind dense metal (the gold fiducial), and slight cupping of
 * the metal itself. Large slices are back-projected on a grid coarsened to at most
 * {@value #MAX_GRID} points a side (detector bins binned alike) and interpolated bilinearly.
 * Slices are processed in parallel, each with its own random stream, so the result is fixed by the
 * seed.
 */
final class MetalStreaks {

  /** Attenuation of water, 1/mm (about 70 keV). */
  static final double MU_WATER = 0.02;
  /** Views over 180 degrees. */
  static final int ANGLES = 180;
  /** Beam hardening: p' = ln(1 + k p) / k, p in mu x mm. */
  static final double HARDENING = 5;
  /**
   * Photon starvation: standard deviation (mu x mm) of a pixel-wide detector bin's line integral
   * per unit of sqrt(exp(p) - 1), for a scan whose image noise is 20 HU and a ray crossing the
   * body's shortest chord; it scales with the noise and with exp(mu_water x extra chord / 2).
   */
  static final double STARVATION = 0.05;
  /** Slices whose metal stays below this (HU) are left alone. */
  static final double MIN_METAL_HU = 100;
  /** Largest back-projection grid side. */
  static final int MAX_GRID = 256;

  /**
   * Metal values over columns i0.. and rows j0.. (w x h), stored with a border of {@value #PAD}
   * zeros so that bilinear sampling anywhere within one pixel of the patch needs no bounds checks.
   */
  private record Patch(int i0, int j0, int w, int h, float[] padded) {
    static final int PAD = 2;

    int stride() {
      return w + 2 * PAD;
    }
  }

  private final int nx;
  private final int ny;
  private final int nz;
  private final double px;
  private final double[] origin;
  private final List<List<Patch>> slices = new ArrayList<>();
  private final double[] peak;

  MetalStreaks(int nx, int ny, int nz, double px, double[] origin) {
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.px = px;
    this.origin = origin;
    for (int k = 0; k < nz; k++) {
      slices.add(new ArrayList<>());
    }
    this.peak = new double[nz];
  }

  /** Records the metal added to slice k over columns i0.. and rows j0.. (w x h values, x fastest). */
  void add(int k, int i0, int j0, int w, int h, float[] hu) {
    // keep only the part that holds metal: values of at least 0.5 HU
    int a0 = w;
    int a1 = -1;
    int b0 = h;
    int b1 = -1;
    double max = 0;
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        float value = hu[i + w * j];
        if (value >= 0.5f) {
          a0 = Math.min(a0, i);
          a1 = Math.max(a1, i);
          b0 = Math.min(b0, j);
          b1 = Math.max(b1, j);
          max = Math.max(max, value);
        }
      }
    }
    if (a1 < 0) {
      return;
    }
    int pw = a1 - a0 + 1;
    int ph = b1 - b0 + 1;
    int stride = pw + 2 * Patch.PAD;
    float[] padded = new float[stride * (ph + 2 * Patch.PAD)];
    for (int j = 0; j < ph; j++) {
      System.arraycopy(hu, a0 + w * (b0 + j), padded, Patch.PAD + stride * (Patch.PAD + j), pw);
    }
    slices.get(k).add(new Patch(i0 + a0, j0 + b0, pw, ph, padded));
    peak[k] = Math.max(peak[k], max);
  }

  /**
   * Adds the artefacts to the volume v (x fastest, then y, then slices), for a body ellipse of
   * semi-axes bodyA, bodyB mm centred on the rotation axis and an image noise of noiseHu.
   */
  void apply(float[] v, double bodyA, double bodyB, double noiseHu, long seed) {
    IntStream.range(0, nz).parallel().filter(k -> peak[k] >= MIN_METAL_HU).forEach(k -> {
      Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (k + 1)));
      float[] streak = slice(slices.get(k), bodyA, bodyB, noiseHu, random);
      int base = nx * ny * k;
      for (int n = 0; n < nx * ny; n++) {
        v[base + n] += streak[n];
      }
    });
  }

  /** The artefact image of one slice, HU, nx x ny. */
  private float[] slice(List<Patch> patches, double bodyA, double bodyB, double noiseHu, Random random) {
    SliceReconstruction reconstruction = new SliceReconstruction(bodyA, bodyB, noiseHu, random);
    for (int a = 0; a < ANGLES; a++) {
      reconstruction.view(patches, a);
    }
    return reconstruction.toHu();
  }

  /** The rectangle (mm) over which a patch is sampled bilinearly: its pixels and one pixel around. */
  private record Support(double xa, double xb, double ya, double yb) {}

  /**
   * The reconstruction of one slice's artefact, view by view: the metal's line integrals, what the
   * scanner would measure instead, filtered and back-projected onto the (possibly coarsened) grid.
   */
  private final class SliceReconstruction {

    private final double bodyA;
    private final double bodyB;
    private final Random random;
    /** Coarsening factor of the back-projection grid, and its spacing (mm). */
    private final int f;
    private final double h;
    /** Detector bins of the grid's detector, and of the pixel-wide one, and the latter's centre bin. */
    private final int nbc;
    private final int nb;
    private final int bc;
    private final double cc;
    private final double ds;
    private final double toMu;
    private final double sigma;
    private final double shortest;
    private final double[] kernel;
    private final int mx;
    private final int my;
    private final double[] image;
    private final double[] p;
    private final double[] d;
    private final double[] variance;
    private final double[] q;
    /** Lowest and highest bin of the current view that a ray through metal reached. */
    private int lo;
    private int hi;

    SliceReconstruction(double bodyA, double bodyB, double noiseHu, Random random) {
      this.bodyA = bodyA;
      this.bodyB = bodyB;
      this.random = random;
      f = Math.max(1, (int) Math.ceil(Math.max(nx, ny) / (double) MAX_GRID));
      h = f * px;
      double xMax = Math.max(Math.abs(origin[0]), Math.abs(origin[0] + (nx - 1) * px));
      double yMax = Math.max(Math.abs(origin[1]), Math.abs(origin[1] + (ny - 1) * px));
      double radius = Math.sqrt(xMax * xMax + yMax * yMax);
      nbc = 2 * (int) Math.ceil(radius / h) + 8;
      nb = nbc * f;
      bc = nb / 2;
      cc = (bc - (f - 1) / 2.0) / f;
      ds = px / 2;
      toMu = MU_WATER / 1000;
      sigma = STARVATION * noiseHu / 20;
      shortest = 2 * Math.min(bodyA, bodyB);
      // Shepp-Logan kernel times the bin width
      kernel = new double[nbc];
      for (int n = 0; n < nbc; n++) {
        kernel[n] = -2 / (Math.PI * Math.PI * h * (4.0 * n * n - 1));
      }
      mx = (nx + f - 1) / f;
      my = (ny + f - 1) / f;
      image = new double[mx * my];
      p = new double[nb];
      d = new double[nbc];
      variance = new double[nbc];
      q = new double[nbc];
    }

    /** Adds view {@code a} (of the ANGLES views over 180 degrees) to the image. */
    void view(List<Patch> patches, int a) {
      double theta = Math.PI * a / ANGLES;
      double c = Math.cos(theta);
      double s = Math.sin(theta);
      Arrays.fill(p, 0);
      lo = nb;
      hi = -1;
      for (Patch patch : patches) {
        project(patch, c, s);
      }
      if (hi < 0) {
        return;
      }
      int clo = lo / f;
      int chi = hi / f;
      measuredMinusIdeal(c, s, clo, chi);
      // detector aperture and a softer reconstruction kernel: [1 2 1] / 4 across the bins
      double previous = 0;
      for (int n = clo - 1; n <= chi + 1; n++) {
        double current = d[n];
        d[n] = 0.25 * previous + 0.5 * current + 0.25 * d[n + 1];
        previous = current;
      }
      clo--;
      chi++;
      filter(clo, chi);
      backProject(c, s);
    }

    /** Adds a patch's line integrals (mu x mm) for the view at (cos, sin) = (c, s) to p. */
    private void project(Patch patch, double c, double s) {
      // the patch's support for bilinear sampling, mm
      double xa = origin[0] + (patch.i0 - 1) * px;
      double xb = origin[0] + (patch.i0 + patch.w) * px;
      double ya = origin[1] + (patch.j0 - 1) * px;
      double yb = origin[1] + (patch.j0 + patch.h) * px;
      Support support = new Support(xa, xb, ya, yb);
      double t0 = Math.min(Math.min(xa * c + ya * s, xa * c + yb * s), Math.min(xb * c + ya * s, xb * c + yb * s));
      double t1 = Math.max(Math.max(xa * c + ya * s, xa * c + yb * s), Math.max(xb * c + ya * s, xb * c + yb * s));
      int b0 = Math.max(0, (int) Math.ceil(t0 / px + bc));
      int b1 = Math.min(nb - 1, (int) Math.floor(t1 / px + bc));
      for (int b = b0; b <= b1; b++) {
        double t = (b - bc) * px;
        double sum = lineSum(patch, support, t, c, s);
        if (sum != 0) {
          p[b] += sum * ds * toMu;
          lo = Math.min(lo, b);
          hi = Math.max(hi, b);
        }
      }
    }

    /**
     * The patch's values summed along the ray at detector position t (mm), sampled every ds; 0 when
     * the ray misses the patch's support.
     */
    private double lineSum(Patch patch, Support support, double t, double c, double s) {
      // ray: x = t c - u s, y = t s + u c
      double uLo = Double.NEGATIVE_INFINITY;
      double uHi = Double.POSITIVE_INFINITY;
      if (Math.abs(s) > 1e-12) {
        double e0 = (t * c - support.xb()) / s;
        double e1 = (t * c - support.xa()) / s;
        uLo = Math.max(uLo, Math.min(e0, e1));
        uHi = Math.min(uHi, Math.max(e0, e1));
      }
      if (Math.abs(c) > 1e-12) {
        double e0 = (support.ya() - t * s) / c;
        double e1 = (support.yb() - t * s) / c;
        uLo = Math.max(uLo, Math.min(e0, e1));
        uHi = Math.min(uHi, Math.max(e0, e1));
      }
      if (!(uLo < uHi)) {
        return 0;
      }
      // patch coordinates, shifted by the zero border
      double fx0 = (t * c - origin[0]) / px - patch.i0 + Patch.PAD;
      double fy0 = (t * s - origin[1]) / px - patch.j0 + Patch.PAD;
      float[] g = patch.padded;
      int stride = patch.stride();
      double sum = 0;
      for (double u = Math.ceil(uLo / ds) * ds; u <= uHi; u += ds) {
        double fx = fx0 - u * s / px;
        double fy = fy0 + u * c / px;
        int ix = (int) fx;
        int iy = (int) fy;
        double ax = fx - ix;
        double ay = fy - iy;
        int at = ix + stride * iy;
        sum += (1 - ay) * (g[at] + ax * (g[at + 1] - g[at]))
            + ay * (g[at + stride] + ax * (g[at + stride + 1] - g[at + stride]));
      }
      return sum;
    }

    /**
     * Measured minus ideal, binned to the back-projection grid's detector (into d): beam hardening,
     * and photon starvation noise (variance binned alike).
     */
    private void measuredMinusIdeal(double c, double s, int clo, int chi) {
      double support = Math.sqrt(bodyA * bodyA * c * c + bodyB * bodyB * s * s);
      Arrays.fill(d, 0);
      Arrays.fill(variance, 0);
      for (int b = lo; b <= hi; b++) {
        double pb = p[b];
        if (pb <= 0) {
          continue;
        }
        double t = (b - bc) * px;
        double chord = Math.abs(t) < support
            ? 2 * bodyA * bodyB / (support * support) * Math.sqrt(support * support - t * t) : 0;
        d[b / f] += (Math.log1p(HARDENING * pb) / HARDENING - pb) / f;
        variance[b / f] += Math.expm1(pb) * Math.exp(MU_WATER * (chord - shortest));
      }
      for (int n = clo; n <= chi; n++) {
        if (variance[n] > 0) {
          d[n] += sigma * Math.sqrt(variance[n]) / f * random.nextGaussian();
        }
      }
    }

    /** Filters d's bins clo..chi with the kernel into q. */
    private void filter(int clo, int chi) {
      Arrays.fill(q, 0);
      for (int j = clo; j <= chi; j++) {
        double dj = d[j];
        if (dj == 0) {
          continue;
        }
        for (int n = 0; n < nbc; n++) {
          q[n] += dj * kernel[Math.abs(n - j)];
        }
      }
    }

    /** Back-projects q for the view at (cos, sin) = (c, s) onto the grid. */
    private void backProject(double c, double s) {
      for (int gy = 0; gy < my; gy++) {
        double y = origin[1] + (gy * f + (f - 1) / 2.0) * px;
        double x0 = origin[0] + ((f - 1) / 2.0) * px;
        double u = (x0 * c + y * s) / h + cc;
        int row = gy * mx;
        for (int gx = 0; gx < mx; gx++, u += c) {
          int iu = (int) u;
          double w = u - iu;
          image[row + gx] += q[iu] + w * (q[iu + 1] - q[iu]);
        }
      }
    }

    /** The image in HU on the slice's pixels (interpolated bilinearly from a coarsened grid). */
    float[] toHu() {
      double toHu = Math.PI / ANGLES * 1000 / MU_WATER;
      float[] out = new float[nx * ny];
      for (int j = 0; j < ny; j++) {
        double gyf = Math.max(0, Math.min(my - 1, (j - (f - 1) / 2.0) / f));
        int gy = Math.min(my - 2, (int) gyf);
        double wy = my == 1 ? 0 : gyf - gy;
        for (int i = 0; i < nx; i++) {
          double gxf = Math.max(0, Math.min(mx - 1, (i - (f - 1) / 2.0) / f));
          int gx = Math.min(mx - 2, (int) gxf);
          double wx = gxf - gx;
          double value = f == 1 ? image[i + mx * j]
              : (1 - wy) * ((1 - wx) * image[gx + mx * gy] + wx * image[gx + 1 + mx * gy])
                  + wy * ((1 - wx) * image[gx + mx * (gy + 1)] + wx * image[gx + 1 + mx * (gy + 1)]);
          out[i + nx * j] = (float) (value * toHu);
        }
      }
      return out;
    }
  }
}
