package io.seedtrace.detection.phantom.scanned;

/**
 * Smooth random texture: value noise on a cubic lattice (random values at lattice points, smoothly
 * interpolated), two octaves. Values are in about -1..1 with a standard deviation near 0.3. The
 * lattice values come from a hash, so nothing is stored and any point can be sampled in any order.
 */
final class ValueNoise {

  private final long seed;

  ValueNoise(long seed) {
    this.seed = seed;
  }

  /** Texture at a point (mm) for features of about {@code scaleMm}. */
  double sample(double x, double y, double z, double scaleMm) {
    double coarse = octave(x / scaleMm, y / scaleMm, z / scaleMm, 0);
    double s2 = scaleMm / 2.3;
    double fine = octave(x / s2 + 17.1, y / s2 + 3.7, z / s2 + 9.2, 1);
    return 0.7 * coarse + 0.45 * fine;
  }

  private double octave(double x, double y, double z, int octave) {
    int ix = (int) Math.floor(x);
    int iy = (int) Math.floor(y);
    int iz = (int) Math.floor(z);
    double fx = smooth(x - ix);
    double fy = smooth(y - iy);
    double fz = smooth(z - iz);
    double c00 = lerp(fx, lattice(ix, iy, iz, octave), lattice(ix + 1, iy, iz, octave));
    double c10 = lerp(fx, lattice(ix, iy + 1, iz, octave), lattice(ix + 1, iy + 1, iz, octave));
    double c01 = lerp(fx, lattice(ix, iy, iz + 1, octave), lattice(ix + 1, iy, iz + 1, octave));
    double c11 = lerp(fx, lattice(ix, iy + 1, iz + 1, octave), lattice(ix + 1, iy + 1, iz + 1, octave));
    return lerp(fz, lerp(fy, c00, c10), lerp(fy, c01, c11));
  }

  private double lattice(int x, int y, int z, int octave) {
    long h = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ (z * 0x165667B19E3779F9L)
        ^ (octave * 0x27D4EB2F165667C5L);
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return ((h >>> 11) * 0x1.0p-53) * 2 - 1;
  }

  private static double smooth(double t) {
    return t * t * (3 - 2 * t);
  }

  private static double lerp(double t, double a, double b) {
    return a + t * (b - a);
  }
}
