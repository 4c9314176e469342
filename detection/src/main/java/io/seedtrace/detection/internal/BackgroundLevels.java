package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The background around an object: the distinct tissue levels among the voxels around it (lung,
 * fat, soft tissue, bone): sharp modes of their histogram (local maxima of the density, at least 3%
 * of the voxels within two noise deviations, more than in the bands 1.5-3.5 noise deviations beside
 * it, so a gradual edge is no level), at least 100 HU or 4 noise deviations apart with the density
 * falling below half between two of them, and reaching the outer frame of the box; and for every
 * voxel of the box the level it lies on. A voxel within 3 noise deviations of a level
 * lies on it if it is connected, through voxels on that level, to the background outside the zones
 * (so the values a seed's profile passes through on its way up do not count); any other voxel takes
 * the level of its side of the boundary when, in its slice, the background outside the zones holds
 * two levels split by a straight line (the boundary runs on under the object), else the level of
 * the nearest voxel placed, through the box. A seed in lung next to soft tissue is thus
 * measured against lung, and the tissue beside it against tissue.
 */
final class BackgroundLevels {

  /** Set in a label when the voxel matched no level and took that of the nearest voxel placed. */
  static final int BY_PROXIMITY = 0x40;
  static final int LEVEL = 0x0F;

  private BackgroundLevels() {}

  /** Levels (HU, ascending) of the background samples. */
  static double[] of(short[] samples, double noise) {
    if (samples.length == 0) {
      return new double[] {0};
    }
    int[] s = sorted(samples);
    double bin = Math.max(5, noise / 2);
    int lo = s[0];
    int bins = (int) ((s[s.length - 1] - lo) / bin) + 1;
    double width = 2 * noise;
    double separation = Math.max(100, 4 * noise);
    int minimum = Math.max(20, s.length * 3 / 100);
    Histogram h = new Histogram(s, lo, bin, density(s, lo, bin, bins, noise));
    List<double[]> candidates = sharpModes(h, noise, width, minimum);
    // strongest first; a weaker mode is a level of its own when it is far enough from every level
    // kept and the density between them falls below half of the smaller one (two tissues, not the
    // shoulder of one)
    candidates.sort((x, y) -> Double.compare(y[2], x[2]));
    List<double[]> peaks = distinctPeaks(h, candidates, separation);
    peaks.sort((x, y) -> Double.compare(x[0], y[0]));
    if (peaks.isEmpty()) {
      return new double[] {s[s.length / 2]};
    }
    double[] levels = new double[peaks.size()];
    for (int p = 0; p < levels.length; p++) {
      levels[p] = recentred(s, peaks.get(p)[0], width);
    }
    return levels;
  }

  /**
   * The sorted samples, their lowest value, the bin width and the density per bin (the samples within
   * one noise deviation of the bin's centre).
   */
  private record Histogram(int[] s, int lo, double bin, int[] density) {

    /** Centre (HU) of bin {@code b}. */
    double centre(int b) {
      return lo + (b + 0.5) * bin;
    }
  }

  /**
   * The samples as ints, sorted: counted per value over their own range when that range is not
   * much larger than their number (a box's background spans a few thousand HU and holds tens of
   * thousands of voxels), else by comparison.
   */
  private static int[] sorted(short[] samples) {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (short v : samples) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int[] s = new int[samples.length];
    if (samples.length < 64 || hi - lo >= 4 * samples.length) {
      for (int q = 0; q < s.length; q++) {
        s[q] = samples[q];
      }
      Arrays.sort(s);
      return s;
    }
    int[] counts = new int[hi - lo + 1];
    for (short v : samples) {
      counts[v - lo]++;
    }
    int q = 0;
    for (int b = 0; b < counts.length; b++) {
      Arrays.fill(s, q, q + counts[b], lo + b);
      q += counts[b];
    }
    return s;
  }

  /** Density within one noise deviation of each bin centre: its local maxima are the modes. */
  private static int[] density(int[] s, int lo, double bin, int bins, double noise) {
    int[] density = new int[bins];
    for (int b = 0; b < bins; b++) {
      double centre = lo + (b + 0.5) * bin;
      density[b] = count(s, centre - noise, centre + noise);
    }
    return density;
  }

  /**
   * The modes of the density that are sharp peaks holding at least {@code minimum} samples within
   * {@code width}, each as {bin, density, inner count}.
   */
  private static List<double[]> sharpModes(Histogram h, double noise, double width, int minimum) {
    int[] density = h.density();
    int bins = density.length;
    int reach = Math.max(1, (int) Math.ceil(noise / h.bin()));
    List<double[]> candidates = new ArrayList<>(); // bin, density, inner
    for (int b = 0; b < bins; b++) {
      boolean top = true;
      for (int o = Math.max(0, b - reach); o <= Math.min(bins - 1, b + reach) && top; o++) {
        // the first bin of a flat top is the mode
        top = o < b ? density[o] < density[b] : density[o] <= density[b];
      }
      if (!top) {
        continue;
      }
      double centre = h.centre(b);
      int inner = count(h.s(), centre - width, centre + width);
      if (inner < minimum) {
        continue;
      }
      // a plateau of tissue is a sharp peak: the density falls off within a few noise deviations on
      // both sides (the values of a gradual edge are spread flat); the bands beside it are kept
      // narrow so that another tissue a hundred-odd HU away does not hide it
      int side = count(h.s(), centre - 3.5 * noise, centre - 1.5 * noise)
          + count(h.s(), centre + 1.5 * noise, centre + 3.5 * noise);
      if (density[b] < side) {
        continue;
      }
      candidates.add(new double[] {b, density[b], inner});
    }
    return candidates;
  }

  /**
   * The candidates (strongest first) that are levels of their own, each as {centre, inner count}:
   * at least {@code separation} from every level kept, with a valley between.
   */
  private static List<double[]> distinctPeaks(Histogram h, List<double[]> candidates, double separation) {
    int[] density = h.density();
    List<double[]> peaks = new ArrayList<>(); // centre, inner count
    for (double[] c : candidates) {
      int b = (int) c[0];
      double centre = h.centre(b);
      boolean distinct = true;
      for (double[] p : peaks) {
        int pb = (int) Math.round((p[0] - h.lo()) / h.bin() - 0.5);
        if (Math.abs(centre - p[0]) < separation) {
          distinct = false;
          break;
        }
        int valley = Integer.MAX_VALUE;
        for (int o = Math.min(b, pb); o <= Math.max(b, pb); o++) {
          valley = Math.min(valley, density[o]);
        }
        if (valley > 0.5 * Math.min(density[b], density[pb])) {
          distinct = false;
          break;
        }
      }
      if (distinct) {
        peaks.add(new double[] {centre, c[2]});
      }
    }
    return peaks;
  }

  /** A peak's level: the window of {@code width} around it re-centred on its own mean, up to 4 times. */
  private static double recentred(int[] s, double peak, double width) {
    double level = peak;
    for (int iter = 0; iter < 4; iter++) { // re-centre the window on its own mean
      int from = lowerBound(s, level - width);
      int to = lowerBound(s, level + width);
      if (to <= from) {
        break;
      }
      double sum = 0;
      for (int q = from; q < to; q++) {
        sum += s[q];
      }
      level = sum / (to - from);
    }
    return level;
  }

  /**
   * The levels that also hold voxels of the outer frame of the box (at least 3% of them, within two
   * noise deviations): a tissue extends beyond an object's neighbourhood, whereas the dark bands that
   * metal artefacts leave next to seeds do not. All the levels when none does.
   */
  static double[] reaching(double[] levels, short[] frame, double noise) {
    if (levels.length < 2 || frame.length == 0) {
      return levels;
    }
    int[] s = sorted(frame);
    int minimum = Math.max(3, s.length * 3 / 100);
    double[] kept = Arrays.stream(levels)
        .filter(l -> count(s, l - 2 * noise, l + 2 * noise) >= minimum).toArray();
    return kept.length == 0 ? levels : kept;
  }

  private static int count(int[] sorted, double from, double to) {
    return lowerBound(sorted, to) - lowerBound(sorted, from);
  }

  private static int lowerBound(int[] s, double value) {
    int a = 0;
    int b = s.length;
    while (a < b) {
      int m = (a + b) >>> 1;
      if (s[m] < value) {
        a = m + 1;
      } else {
        b = m;
      }
    }
    return a;
  }

  /**
   * Level index per voxel of a box (values given box-local, x fastest), with {@link #BY_PROXIMITY}
   * set where the voxel matched no level.
   *
   * @param values the box's voxel values
   * @param outside 0 where a voxel belongs to no zone, 1 where it belongs to the object's zone
   */
  static byte[] label(short[] values, byte[] outside, int ni, int nj, int nk, double[] levels, double noise,
      double dx, double dy) {
    byte[] label = new byte[values.length];
    if (levels.length == 1) {
      return label;
    }
    byte[] match = new byte[values.length];
    for (int p = 0; p < values.length; p++) {
      int best = nearest(levels, values[p]);
      match[p] = (byte) (Math.abs(values[p] - levels[best]) <= 3 * noise ? best : -1);
    }
    boolean[] known = new boolean[values.length];
    boolean any = false;
    for (int p = 0; p < values.length; p++) {
      if (outside[p] == 0 && match[p] >= 0) {
        label[p] = match[p];
        known[p] = true;
        any = true;
      }
    }
    if (!any) {
      for (int p = 0; p < values.length; p++) {
        label[p] = (byte) nearest(levels, values[p]);
      }
      return label;
    }
    // first through voxels on the same level, connected to the background outside the zones
    IntQueue queue = new IntQueue(values.length);
    byte[] sides = sides(ni, nj, nk);
    addFront(queue, known, sides, ni, nj);
    flood(queue, known, label, match, sides, ni, ni * nj, true);
    // where a straight boundary between two levels crosses a slice, it runs on under the object
    for (int c = 0; c < nk; c++) {
      boundaryLine(c, values, outside, match, known, label, ni, nj, dx, dy);
    }
    // then everything else takes the level of the nearest voxel placed
    queue.clear();
    addFront(queue, known, sides, ni, nj);
    flood(queue, known, label, match, sides, ni, ni * nj, false);
    return label;
  }

  /**
   * Adds to the queue, in scan order, the known voxels with a neighbour not yet known: the front a
   * flood starts from. A known voxel whose neighbours are all known would place nothing, so
   * leaving it out changes no label and saves most of the queue in a box that is mostly
   * background.
   */
  private static void addFront(IntQueue queue, boolean[] known, byte[] sides, int ni, int nj) {
    int plane = ni * nj;
    for (int p = 0; p < known.length; p++) {
      int in = sides[p];
      if (known[p] && (((in & WEST) != 0 && !known[p - 1]) || ((in & EAST) != 0 && !known[p + 1])
          || ((in & SOUTH) != 0 && !known[p - ni]) || ((in & NORTH) != 0 && !known[p + ni])
          || ((in & BELOW) != 0 && !known[p - plane]) || ((in & ABOVE) != 0 && !known[p + plane]))) {
        queue.add(p);
      }
    }
  }

  /**
   * In one slice: when the background outside the zones holds exactly two levels, separated by a
   * straight line (the midpoints between neighbouring voxels of the two levels lie on a line that
   * splits them with few exceptions), every voxel of the object's zone in the slice not yet placed
   * takes the level of its side of that line. A seed lying across or beside the boundary is then measured against
   * the tissue actually under each of its voxels, not against the nearer one.
   */
  private static void boundaryLine(int c, short[] values, byte[] outside, byte[] match, boolean[] known,
      byte[] label, int ni, int nj, double dx, double dy) {
    Slice slice = new Slice(c * ni * nj, ni, nj, dx, dy, outside, match);
    if (!slice.hasOpenVoxel(known)) {
      return; // every voxel of the object in this slice lies on a level
    }
    BoundaryPoints points = boundaryPoints(slice);
    if (points == null || points.second() < 0 || points.m() < 3) {
      return;
    }
    Line line = fitLine(points, dx, dy);
    if (line == null) {
      return; // the boundary points do not span a line
    }
    // which level lies on the positive side, and how well the line splits the two
    Boolean firstOnPositive = firstOnPositiveSide(slice, line, points.first());
    if (firstOnPositive == null) {
      return; // not a straight boundary
    }
    int base = slice.base();
    for (int b = 0; b < nj; b++) {
      for (int a = 0; a < ni; a++) {
        int p = base + a + ni * b;
        if (known[p] || outside[p] != 1) {
          continue;
        }
        boolean positive = line.positive(a, b, dx, dy);
        label[p] = (byte) ((positive == firstOnPositive ? points.first() : points.second()) | BY_PROXIMITY);
        known[p] = true;
      }
    }
  }

  /** One slice of the box (from voxel {@code base}), with where its voxels lie outside the zones and their levels. */
  private record Slice(int base, int ni, int nj, double dx, double dy, byte[] outside, byte[] match) {

    /** Whether a voxel of the object's zone in this slice is not yet placed. */
    boolean hasOpenVoxel(boolean[] known) {
      boolean open = false;
      for (int p = base; p < base + ni * nj && !open; p++) {
        open = outside[p] == 1 && !known[p];
      }
      return open;
    }

    /** Whether voxel {@code p} is background outside the zones lying on a level. */
    boolean onBackgroundLevel(int p) {
      return !(outside[p] != 0 || match[p] < 0);
    }
  }

  /**
   * The two levels of a slice's background ({@code second} -1 when there is one) and the sums over
   * the midpoints between neighbouring voxels of different levels.
   */
  private record BoundaryPoints(int first, int second, double sx, double sy, double sxx, double syy, double sxy,
      int m) {}

  /** A straight line through ({@code mx}, {@code my}) with unit normal ({@code nx}, {@code ny}). */
  private record Line(double mx, double my, double nx, double ny) {

    /** Whether voxel (a, b) of the slice lies on the positive side. */
    boolean positive(int a, int b, double dx, double dy) {
      return (a * dx - mx) * nx + (b * dy - my) * ny > 0;
    }
  }

  /**
   * The levels of the slice's background and the midpoints between neighbouring voxels of two
   * levels; null when the background holds three levels (no single line).
   */
  private static BoundaryPoints boundaryPoints(Slice slice) {
    int ni = slice.ni();
    int nj = slice.nj();
    int base = slice.base();
    byte[] match = slice.match();
    int first = -1;
    int second = -1;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    int m = 0;
    for (int b = 0; b < nj; b++) {
      for (int a = 0; a < ni; a++) {
        int p = base + a + ni * b;
        if (!slice.onBackgroundLevel(p)) {
          continue;
        }
        int l = match[p];
        if (first < 0) {
          first = l;
        } else if (l != first) {
          if (second < 0) {
            second = l;
          } else if (l != second) {
            return null; // three levels: no single line
          }
        }
        for (int t = 0; t < 2; t++) {
          int aa = a + (t == 0 ? 1 : 0);
          int bb = b + (t == 1 ? 1 : 0);
          if (aa >= ni || bb >= nj) {
            continue;
          }
          int q = base + aa + ni * bb;
          if (!slice.onBackgroundLevel(q) || match[q] == l) {
            continue;
          }
          double x = (a + aa) * 0.5 * slice.dx();
          double y = (b + bb) * 0.5 * slice.dy();
          sx += x;
          sy += y;
          sxx += x * x;
          syy += y * y;
          sxy += x * y;
          m++;
        }
      }
    }
    return new BoundaryPoints(first, second, sx, sy, sxx, syy, sxy, m);
  }

  /** The line through the boundary points; null when they do not span a line. */
  private static Line fitLine(BoundaryPoints points, double dx, double dy) {
    int m = points.m();
    double mx = points.sx() / m;
    double my = points.sy() / m;
    double cxx = points.sxx() / m - mx * mx;
    double cyy = points.syy() / m - my * my;
    double cxy = points.sxy() / m - mx * my;
    // the normal of the line: eigenvector of the smallest eigenvalue
    double half = (cxx + cyy) / 2;
    double diff = Math.sqrt((cxx - cyy) * (cxx - cyy) / 4 + cxy * cxy);
    double large = half + diff;
    if (large < Math.max(dx * dx, dy * dy)) {
      return null;
    }
    double nx;
    double ny;
    if (Math.abs(cxy) > 1e-12) {
      nx = cxy;
      ny = (half - diff) - cxx;
    } else if (cxx < cyy) {
      nx = 1;
      ny = 0;
    } else {
      nx = 0;
      ny = 1;
    }
    double norm = Math.sqrt(nx * nx + ny * ny);
    nx /= norm;
    ny /= norm;
    return new Line(mx, my, nx, ny);
  }

  /**
   * Whether level {@code first} lies on the positive side of the line; null when the line splits
   * the two levels with more than a few exceptions (not a straight boundary).
   */
  private static Boolean firstOnPositiveSide(Slice slice, Line line, int first) {
    int firstPositive = 0;
    int secondPositive = 0;
    int firstCount = 0;
    int secondCount = 0;
    for (int b = 0; b < slice.nj(); b++) {
      for (int a = 0; a < slice.ni(); a++) {
        int p = slice.base() + a + slice.ni() * b;
        if (!slice.onBackgroundLevel(p)) {
          continue;
        }
        boolean positive = line.positive(a, b, slice.dx(), slice.dy());
        if (slice.match()[p] == first) {
          firstCount++;
          firstPositive += positive ? 1 : 0;
        } else {
          secondCount++;
          secondPositive += positive ? 1 : 0;
        }
      }
    }
    boolean firstOnPositive = firstPositive * (long) secondCount > secondPositive * (long) firstCount;
    int wrong = firstOnPositive ? (firstCount - firstPositive) + secondPositive
        : firstPositive + (secondCount - secondPositive);
    if (wrong > 0.03 * (firstCount + secondCount) + 1) {
      return null;
    }
    return firstOnPositive;
  }

  /** Bits of {@link #sides}: which of a voxel's six neighbours lie inside the box. */
  private static final int WEST = 1;
  private static final int EAST = 2;
  private static final int SOUTH = 4;
  private static final int NORTH = 8;
  private static final int BELOW = 16;
  private static final int ABOVE = 32;

  /** For every voxel of a box, which of its six neighbours lie inside the box (bits above). */
  private static byte[] sides(int ni, int nj, int nk) {
    byte[] sides = new byte[ni * nj * nk];
    int p = 0;
    for (int c = 0; c < nk; c++) {
      int inK = (c > 0 ? BELOW : 0) | (c < nk - 1 ? ABOVE : 0);
      for (int b = 0; b < nj; b++) {
        int inJ = inK | (b > 0 ? SOUTH : 0) | (b < nj - 1 ? NORTH : 0);
        for (int a = 0; a < ni; a++) {
          sides[p++] = (byte) (inJ | (a > 0 ? WEST : 0) | (a < ni - 1 ? EAST : 0));
        }
      }
    }
    return sides;
  }

  private static void flood(IntQueue queue, boolean[] known, byte[] label, byte[] match, byte[] sides, int ni,
      int plane, boolean sameLevelOnly) {
    int[] step = {-1, 1, -ni, ni, -plane, plane};
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int inside = sides[p];
      for (int t = 0; t < 6; t++) {
        if ((inside & (1 << t)) == 0) {
          continue;
        }
        int q = p + step[t];
        if (!known[q] && (!sameLevelOnly || match[q] == label[p])) {
          known[q] = true;
          label[q] = (byte) (sameLevelOnly ? label[p] : label[p] | BY_PROXIMITY);
          queue.add(q);
        }
      }
    }
  }

  private static int nearest(double[] levels, int value) {
    int best = 0;
    for (int l = 1; l < levels.length; l++) {
      if (Math.abs(value - levels[l]) < Math.abs(value - levels[best])) {
        best = l;
      }
    }
    return best;
  }
}
