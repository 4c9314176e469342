package io.seedtrace.detection.internal;

import io.seedtrace.detection.CtScan;
import java.util.Arrays;
import java.util.List;

/**
 * One bright object measured over its zone: contrast of each voxel over the local background,
 * integrated contrast ("mass", HU x mm3: a blurred seed keeps its metal content, so this does not
 * depend on orientation, slice thickness or the tissue around), contrast-weighted centre and
 * covariance, peak contrast and peak HU.
 *
 * <p>Background: the voxels around the zone that belong to no zone give the tissue levels there;
 * each zone voxel is measured against the level it lies on ({@link BackgroundLevels}).
 */
public final class Region {

  /** Voxels below this fraction of the peak contrast carry no weight in centre and covariance. */
  static final double WEIGHT_FRACTION = 0.2;
  /**
   * In the slice plane the blur is small: this margin around the clearly bright voxels holds an
   * object's edges and little of the streaks that cross it; along the slice axis the wider margin
   * given to the constructor applies.
   */
  static final double PLANE_MARGIN_MM = 1.0;
  /**
   * Share of the background voxels beside a brighter level that lie on no level, above which that
   * level's edge is gradual (bone) rather than sharp (soft tissue against lung).
   */
  static final double GRADUAL = 0.2;
  /** Width of the outer frame of the box, which every tissue level must reach (mm). */
  static final double FRAME_MM = 1.0;

  public final Zone zone;
  /** Integrated contrast; on a clamped scale raised by {@link #restoreSaturated(double)}. */
  public double massHuMm3;
  public final double peakContrast;
  public final int peakHu;
  public final boolean touchesEndSlice;
  public Moments moments;
  /** Every voxel of the object above the noise floor (mm) and its contrast, for splitting chains. */
  public double[][] faintPoints;
  public double[] faintWeights;
  public final double[] backgroundLevels;
  /**
   * Mean contrast of the zone's voxels that touch the background in their slice: about zero for an
   * object that fits in its zone, high for a corner or ridge of a larger structure (bone).
   */
  public final double rimContrast;
  /**
   * The object's voxels that hold its highest value: on a clamped scale (nothing stored above, say,
   * 3071 HU) the plateau where the metal saturates; on an extended scale one voxel or a few.
   */
  public final int plateauVoxels;
  /** The plateau's contrast summed (HU x mm3). */
  public double plateauMassHuMm3;

  /**
   * @param neighbours other zones whose boxes overlap this one's extended box
   * @param floor contrast below which a voxel carries no weight in centre and covariance (nor
   *     below {@value #WEIGHT_FRACTION} of the peak contrast)
   * @param shellMm width of the background ring around the zone box, in the slice plane
   * @param marginMm how far around its clearly bright voxels an object's contrast is summed, along
   *     the slice axis (at least one slice)
   */
  public Region(Zone zone, List<Zone> neighbours, CtScan scan, double floor, double shellMm, double marginMm,
      double noise) {
    this.zone = zone;
    Box box = Box.around(zone, scan, shellMm);
    // 0 = background, 1 = this zone, 2 = another zone
    byte[] kind = new byte[box.plane() * zone.nk];
    for (Zone z : neighbours) {
      z.paint(kind, (byte) 2, box.ei0(), box.ej0(), zone.k0, box.eni(), box.enj(), zone.nk);
    }
    zone.paint(kind, (byte) 1, box.ei0(), box.ej0(), zone.k0, box.eni(), box.enj(), zone.nk);
    backgroundLevels = backgroundLevels(zone, scan, box, kind, noise);
    short[] values = boxValues(zone, scan, box, kind.length);
    byte[] label = BackgroundLevels.label(values, kind, box.eni(), box.enj(), zone.nk, backgroundLevels, noise,
        scan.dx(), scan.dy());
    Contrast contrast = contrast(zone, scan, box, kind, values, label, backgroundLevels, floor);
    if (contrast.max() == 0) { // nothing of this zone stands out from the tissue it lies on
      massHuMm3 = 0;
      peakContrast = Math.max(0, contrast.peak());
      peakHu = Integer.MIN_VALUE;
      touchesEndSlice = false;
      rimContrast = contrast.rimContrast();
      faintPoints = new double[0][];
      faintWeights = new double[0];
      moments = new Moments(new double[0][], new double[0], 0);
      plateauVoxels = 0;
      plateauMassHuMm3 = 0;
      return;
    }
    boolean[] object = objectMask(contrast.strong(), box, zone.nk, scan, marginMm);
    ObjectSums sums = objectSums(zone, scan, box, kind, values, object, contrast, floor);
    massHuMm3 = sums.sum() * scan.voxelVolumeMm3();
    peakContrast = contrast.peak();
    peakHu = sums.peakValue();
    touchesEndSlice = sums.edge();
    rimContrast = contrast.rimContrast();
    List<double[]> faint = sums.faint();
    faintPoints = new double[faint.size()][];
    faintWeights = new double[faint.size()];
    for (int f = 0; f < faint.size(); f++) {
      double[] q = faint.get(f);
      faintPoints[f] = new double[] {q[0], q[1], q[2]};
      faintWeights[f] = q[3];
    }
    moments = new Moments(sums.pts(), sums.w(), sums.n());
    plateauVoxels = sums.topCount();
    plateauMassHuMm3 = sums.topSum() * scan.voxelVolumeMm3();
  }

  /** The zone's box extended by the background shell in the slice plane (voxel indices, inclusive). */
  private record Box(int ei0, int ej0, int ei1, int ej1) {

    static Box around(Zone zone, CtScan scan, double shellMm) {
      int sx = (int) Math.ceil(shellMm / scan.dx());
      int sy = (int) Math.ceil(shellMm / scan.dy());
      int ei0 = Math.max(0, zone.i0 - sx);
      int ej0 = Math.max(0, zone.j0 - sy);
      int ei1 = Math.min(scan.nx() - 1, zone.i0 + zone.ni - 1 + sx);
      int ej1 = Math.min(scan.ny() - 1, zone.j0 + zone.nj - 1 + sy);
      return new Box(ei0, ej0, ei1, ej1);
    }

    int eni() {
      return ei1 - ei0 + 1;
    }

    int enj() {
      return ej1 - ej0 + 1;
    }

    int plane() {
      return eni() * enj();
    }
  }

  /**
   * The tissue levels of the box's background (voxels of no zone) that reach its outer frame
   * ({@link BackgroundLevels#of}, {@link BackgroundLevels#reaching}).
   */
  private static double[] backgroundLevels(Zone zone, CtScan scan, Box box, byte[] kind, double noise) {
    int nx = scan.nx();
    int ny = scan.ny();
    short[] hu = scan.hu();
    int eni = box.eni();
    int enj = box.enj();
    short[] shell = new short[kind.length];
    int shellCount = 0;
    int fx = (int) Math.ceil(FRAME_MM / scan.dx());
    int fy = (int) Math.ceil(FRAME_MM / scan.dy());
    short[] frame = new short[zone.nk * 2 * (fx * enj + fy * eni)];
    int frameCount = 0;
    for (int c = 0; c < zone.nk; c++) {
      for (int b = 0; b < enj; b++) {
        int row = eni * (b + enj * c);
        int from = box.ei0() + nx * (b + box.ej0() + ny * (zone.k0 + c));
        for (int a = 0; a < eni; a++) {
          if (kind[row + a] == 0) {
            shell[shellCount++] = hu[from + a];
            if (a < fx || a >= eni - fx || b < fy || b >= enj - fy) {
              frame[frameCount++] = hu[from + a];
            }
          }
        }
      }
    }
    return BackgroundLevels.reaching(BackgroundLevels.of(Arrays.copyOf(shell, shellCount), noise),
        Arrays.copyOf(frame, frameCount), noise);
  }

  /** The box's voxel values, box-local (x fastest). */
  private static short[] boxValues(Zone zone, CtScan scan, Box box, int length) {
    int nx = scan.nx();
    int ny = scan.ny();
    int eni = box.eni();
    int enj = box.enj();
    short[] values = new short[length];
    for (int c = 0; c < zone.nk; c++) {
      for (int j = box.ej0(); j <= box.ej1(); j++) {
        int from = box.ei0() + nx * (j + ny * (zone.k0 + c));
        System.arraycopy(scan.hu(), from, values, eni * ((j - box.ej0()) + enj * c), eni);
      }
    }
    return values;
  }

  /**
   * The contrast of the zone's voxels over their background, its peak and its mean on the zone's
   * rim, and the voxels that stand out clearly ({@code max} of them); {@code ramp} marks the voxels
   * measured against the ramp of a gradual edge ({@code rampTop} its brighter level).
   */
  private record Contrast(float[] contrast, boolean[] ramp, float[] rampTop, double peak, double rimSum,
      int rimCount, boolean[] strong, int max) {

    double rimContrast() {
      return rimCount == 0 ? 0 : rimSum / rimCount;
    }
  }

  /** Peak contrast of the zone's voxels and the sum and count of the contrast on the zone's rim. */
  private record Rim(double peak, double rimSum, int rimCount) {}

  /**
   * Measures the zone's contrast: first against the levels; then, where the object lies beside the
   * gradual edge of a brighter tissue, again with that edge carried on under it.
   */
  private static Contrast contrast(Zone zone, CtScan scan, Box box, byte[] kind, short[] values, byte[] label,
      double[] backgroundLevels, double floor) {
    int eni = box.eni();
    int enj = box.enj();
    float[] contrast = new float[kind.length];
    boolean[] ramp = new boolean[kind.length];
    float[] rampTop = new float[kind.length]; // the brighter level of the ramp a voxel lies on
    float[] rampLevel = null;
    Rim rim = null;
    boolean[] strong = null;
    int max = 0;
    // first against the levels; then, where the object lies beside the gradual edge of a brighter
    // tissue, again with that edge carried on under it
    for (int pass = 0; pass < 2; pass++) {
      rim = contrastOverBackground(box, kind, values, label, backgroundLevels, ramp, rampLevel, contrast);
      // The object is what stands out clearly (a fifth of its peak) connected to its cores, plus a
      // margin for its blurred edges; the rest of the zone (streaks, neighbours' tails, the edge of
      // nearby bone) is left out.
      double cut = Math.max(floor, WEIGHT_FRACTION * rim.peak());
      strong = strongFromCores(zone, contrast, kind, cut, box.ei0(), box.ej0(), eni, enj, scan);
      max = 0;
      for (boolean b : strong) {
        max += b ? 1 : 0;
      }
      if (max == 0 || pass == 1) {
        break;
      }
      boolean[][] nearUpper = nearUpperLevel(label, backgroundLevels.length, eni, enj, zone.nk, scan);
      boolean[] gradual = gradualEdges(nearUpper, label, kind);
      if (!markRamp(kind, label, backgroundLevels, nearUpper, gradual, ramp, rampTop)) {
        break;
      }
      rampLevel = harmonic(values, kind, label, backgroundLevels, ramp, rampTop, eni, enj, zone.nk);
    }
    return new Contrast(contrast, ramp, rampTop, rim.peak(), rim.rimSum(), rim.rimCount(), strong, max);
  }

  /**
   * Fills {@code contrast} for the zone's voxels (each over its level, or over the ramp level where
   * it lies on a ramp) and returns its peak and its sum over the zone's rim.
   */
  private static Rim contrastOverBackground(Box box, byte[] kind, short[] values, byte[] label,
      double[] backgroundLevels, boolean[] ramp, float[] rampLevel, float[] contrast) {
    int eni = box.eni();
    int enj = box.enj();
    double peak = Double.NEGATIVE_INFINITY;
    double rimSum = 0;
    int rimCount = 0;
    for (int p = 0; p < kind.length; p++) {
      if (kind[p] != 1) {
        continue;
      }
      double level = ramp[p] ? rampLevel[p] : backgroundLevels[label[p] & BackgroundLevels.LEVEL];
      contrast[p] = (float) (values[p] - level);
      peak = Math.max(peak, contrast[p]);
      int a = p % eni;
      int b = (p / eni) % enj;
      if ((a > 0 && kind[p - 1] == 0) || (a < eni - 1 && kind[p + 1] == 0) || (b > 0 && kind[p - eni] == 0)
          || (b < enj - 1 && kind[p + eni] == 0)) {
        rimSum += contrast[p];
        rimCount++;
      }
    }
    return new Rim(peak, rimSum, rimCount);
  }

  /**
   * Marks the ramp voxels and their brighter level; returns whether there is any.
   *
   * <p>Beside the gradual edge of a brighter tissue (bone), the zone's voxels that lie on no level
   * are on the ramp of that edge, not on either tissue: their background is the ramp itself,
   * carried on under the object from the voxels around it.
   */
  private static boolean markRamp(byte[] kind, byte[] label, double[] backgroundLevels, boolean[][] nearUpper,
      boolean[] gradual, boolean[] ramp, float[] rampTop) {
    boolean anyRamp = false;
    for (int p = 0; p < kind.length; p++) {
      if (kind[p] != 1 || (label[p] & BackgroundLevels.BY_PROXIMITY) == 0) {
        continue;
      }
      for (int l = 0; l < gradual.length && !ramp[p]; l++) {
        ramp[p] = gradual[l] && nearUpper[l][p];
        rampTop[p] = ramp[p] ? (float) backgroundLevels[l + 1] : 0;
      }
      anyRamp |= ramp[p];
    }
    return anyRamp;
  }

  /**
   * The object: its clearly bright voxels with a margin for its blurred edges, {@value
   * #PLANE_MARGIN_MM} mm in the slice plane and {@code marginMm} (at least one slice) along the axis.
   */
  private static boolean[] objectMask(boolean[] strong, Box box, int nk, CtScan scan, double marginMm) {
    int eni = box.eni();
    int enj = box.enj();
    int mx = (int) Math.ceil(PLANE_MARGIN_MM / scan.dx());
    int my = (int) Math.ceil(PLANE_MARGIN_MM / scan.dy());
    int mz = Math.max(1, (int) Math.ceil(marginMm / scan.dz()));
    return Zone.dilate(Zone.dilate(Zone.dilate(strong, 1, eni, eni, enj, nk, mx), eni, enj, eni, enj,
        nk, my), eni * enj, nk, eni, enj, nk, mz);
  }

  /**
   * What the object's voxels add up to: contrast sum, peak value, whether a strong voxel lies in an
   * end slice, the faint points (x, y, z mm and contrast), the plateau (voxels at the peak value and
   * their contrast) and the strong points with their contrast ({@code n} of them).
   */
  private record ObjectSums(double sum, int peakValue, boolean edge, List<double[]> faint, int topCount,
      double topSum, double[][] pts, double[] w, int n) {}

  /** Sums the object's voxels (see {@link ObjectSums}). */
  private static ObjectSums objectSums(Zone zone, CtScan scan, Box box, byte[] kind, short[] values,
      boolean[] object, Contrast c, double floor) {
    int eni = box.eni();
    int enj = box.enj();
    float[] contrast = c.contrast();
    boolean[] strong = c.strong();
    double[][] pts = new double[c.max()][];
    double[] w = new double[c.max()];
    int n = 0;
    double sum = 0;
    int peakValue = Integer.MIN_VALUE;
    boolean edge = false;
    int lastSlice = scan.nz() - 1;
    List<double[]> faint = new java.util.ArrayList<>();
    int topCount = 0;
    double topSum = 0;
    for (int p = 0; p < kind.length; p++) {
      if (kind[p] != 1 || !object[p]) {
        continue;
      }
      if (!strong[p] && c.ramp()[p] && values[p] < c.rampTop()[p]) {
        // the gradual edge of a brighter tissue (bone) next to the object, not the object: faint,
        // and below the brighter tissue
        continue;
      }
      int a = p % eni;
      int b = (p / eni) % enj;
      int k = zone.k0 + p / (eni * enj);
      sum += contrast[p];
      if (values[p] >= peakValue) {
        if (values[p] > peakValue) {
          topCount = 0;
          topSum = 0;
        }
        topCount++;
        topSum += contrast[p];
      }
      peakValue = Math.max(peakValue, values[p]);
      if (contrast[p] > floor) {
        faint.add(new double[] {(a + box.ei0()) * scan.dx(), (b + box.ej0()) * scan.dy(), k * scan.dz(),
            contrast[p]});
      }
      if (strong[p]) {
        pts[n] = new double[] {(a + box.ei0()) * scan.dx(), (b + box.ej0()) * scan.dy(), k * scan.dz()};
        w[n] = contrast[p];
        n++;
        edge |= k == 0 || k == lastSlice;
      }
    }
    return new ObjectSums(sum, peakValue, edge, faint, topCount, topSum, pts, w, n);
  }

  /**
   * Seeds inside a soft-tissue mass that is itself surrounded by another tissue (seeds in a lung
   * tumour): when many seeds fill the mass, its voxels belong to their zones and never to the
   * background, so the mass's own level is not found and every tissue voxel counts as contrast (a
   * pair measured as eleven seeds). Such an object shows a plateau: at least {@value
   * #PLATEAU_SHARE} of its faint voxels within a few noise deviations of one contrast, at least ten
   * noise deviations above zero and below half the peak, holding at least {@value
   * #PLATEAU_MASS_SHARE} of its mass. That plateau is then its level: every voxel is measured above it
   * (plus two noise deviations), and mass, centre and covariance are taken again. Returns whether
   * it did.
   */
  public boolean levelOnInnerTissue(double noise, double voxelVolumeMm3) {
    int n = faintWeights.length;
    if (n < 50 || peakContrast <= 0) {
      return false;
    }
    double bin = Math.max(25, 2 * noise);
    int bins = (int) Math.ceil(0.5 * peakContrast / bin);
    int[] histogram = new int[Math.max(1, bins)];
    for (double w : faintWeights) {
      int b = (int) (w / bin);
      if (b >= 0 && b < histogram.length) {
        histogram[b]++;
      }
    }
    int best = 0;
    for (int b = 1; b < histogram.length; b++) {
      best = histogram[b] + (b + 1 < histogram.length ? histogram[b + 1] : 0)
          > histogram[best] + (best + 1 < histogram.length ? histogram[best + 1] : 0) ? b : best;
    }
    int held = histogram[best] + (best + 1 < histogram.length ? histogram[best + 1] : 0);
    double plateau = (best + 1) * bin;
    if (held < PLATEAU_SHARE * n || plateau < 10 * noise
        || held * plateau * voxelVolumeMm3 < PLATEAU_MASS_SHARE * massHuMm3) {
      return false;
    }
    double level = plateau + 2 * noise;
    java.util.List<double[]> kept = new java.util.ArrayList<>();
    double sum = 0;
    for (int f = 0; f < n; f++) {
      double w = faintWeights[f] - level;
      if (w > 0) {
        kept.add(new double[] {faintPoints[f][0], faintPoints[f][1], faintPoints[f][2], w});
        sum += w;
      }
    }
    faintPoints = new double[kept.size()][];
    faintWeights = new double[kept.size()];
    double[][] strongPts = new double[kept.size()][];
    double[] strongW = new double[kept.size()];
    int strong = 0;
    double cut = WEIGHT_FRACTION * (peakContrast - level);
    for (int f = 0; f < kept.size(); f++) {
      double[] q = kept.get(f);
      faintPoints[f] = new double[] {q[0], q[1], q[2]};
      faintWeights[f] = q[3];
      if (q[3] >= cut) {
        strongPts[strong] = faintPoints[f];
        strongW[strong++] = q[3];
      }
    }
    massHuMm3 = sum * voxelVolumeMm3;
    moments = new Moments(strongPts, strongW, strong);
    measuredOnInnerTissue = true;
    return true;
  }

  /** Whether {@link #levelOnInnerTissue} took the object's level again: its count is less certain. */
  public boolean measuredOnInnerTissue;

  /** Share of an object's faint voxels that make a tissue plateau inside it ... */
  static final double PLATEAU_SHARE = 0.25;
  /** ... and share of its mass that plateau holds. */
  static final double PLATEAU_MASS_SHARE = 0.3;

  /**
   * Caps every voxel's contrast at {@code cap} (a clamped scale, where what a voxel can show
   * depends on the tissue under it) and takes the mass and the plateau's mass again.
   */
  public void capContrast(double cap, double voxelVolumeMm3) {
    double perVoxel = voxelVolumeMm3;
    double cut = 0;
    for (int f = 0; f < faintWeights.length; f++) {
      if (faintWeights[f] > cap) {
        cut += faintWeights[f] - cap;
        faintWeights[f] = cap;
      }
    }
    massHuMm3 -= cut * perVoxel;
    if (plateauVoxels > 0 && plateauMassHuMm3 / plateauVoxels > cap * perVoxel) {
      plateauMassHuMm3 = plateauVoxels * cap * perVoxel;
    }
  }

  /**
   * On a clamped scale the voxels of the plateau held more than the ceiling: adds {@code fraction}
   * of the plateau's contrast to the mass, as a lower estimate of what the clamp cut off.
   */
  public void restoreSaturated(double fraction) {
    massHuMm3 += fraction * plateauMassHuMm3;
  }


  /**
   * Background of the ramp voxels, slice by slice: the harmonic interpolation (each the mean of its
   * four neighbours in the slice) of the values around them: the voxels outside the zones that lie on
   * no level (the ramp) as they are, the other voxels at their level. A straight ramp is carried on
   * unchanged; the object on top of it does not enter.
   */
  private static float[] harmonic(short[] values, byte[] kind, byte[] label, double[] levels, boolean[] ramp,
      float[] rampTop, int eni, int enj, int nk) {
    float[] f = new float[values.length];
    for (int p = 0; p < values.length; p++) {
      boolean onLevel = (label[p] & BackgroundLevels.BY_PROXIMITY) == 0;
      f[p] = kind[p] == 0 && !onLevel ? values[p] : (float) levels[label[p] & BackgroundLevels.LEVEL];
      if (ramp[p]) { // start from the voxel's own value, within the ramp
        f[p] = Math.max(f[p], Math.min(rampTop[p], values[p]));
      }
    }
    int plane = eni * enj;
    int[] unknown = new int[values.length];
    for (int c = 0; c < nk; c++) {
      int n = 0;
      for (int p = c * plane; p < (c + 1) * plane; p++) {
        if (ramp[p]) {
          unknown[n++] = p;
        }
      }
      // Gauss-Seidel with over-relaxation until the largest change is below one HU
      for (int iter = 0; iter < 200 && n > 0; iter++) {
        double change = 0;
        for (int t = 0; t < n; t++) {
          int p = unknown[t];
          int a = (p - c * plane) % eni;
          int b = (p - c * plane) / eni;
          double sum = 0;
          int m = 0;
          if (a > 0) { sum += f[p - 1]; m++; }
          if (a < eni - 1) { sum += f[p + 1]; m++; }
          if (b > 0) { sum += f[p - eni]; m++; }
          if (b < enj - 1) { sum += f[p + eni]; m++; }
          double next = f[p] + 1.8 * (sum / m - f[p]);
          change = Math.max(change, Math.abs(next - f[p]));
          f[p] = (float) next;
        }
        if (change < 1) {
          break;
        }
      }
    }
    return f;
  }

  /** Zone voxels above the cut, 26-connected to one of the zone's core voxels. */
  private static boolean[] strongFromCores(Zone zone, float[] contrast, byte[] kind, double cut, int ei0, int ej0,
      int eni, int enj, CtScan scan) {
    int nk = zone.nk;
    boolean[] strong = new boolean[kind.length];
    IntQueue queue = new IntQueue(kind.length);
    for (int[] v : zone.coreVoxels(scan)) {
      int p = (v[0] - ei0) + eni * ((v[1] - ej0) + enj * (v[2] - zone.k0));
      if (kind[p] == 1 && contrast[p] > cut && !strong[p]) {
        strong[p] = true;
        queue.add(p);
      }
    }
    int plane = eni * enj;
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int c = p / plane;
      int b = (p - c * plane) / eni;
      int a = p - c * plane - b * eni;
      for (int dc = -1; dc <= 1; dc++) {
        for (int db = -1; db <= 1; db++) {
          for (int da = -1; da <= 1; da++) {
            int aa = a + da;
            int bb = b + db;
            int cc = c + dc;
            if (aa < 0 || bb < 0 || cc < 0 || aa >= eni || bb >= enj || cc >= nk) {
              continue;
            }
            int q = aa + eni * (bb + enj * cc);
            if (!strong[q] && kind[q] == 1 && contrast[q] > cut) {
              strong[q] = true;
              queue.add(q);
            }
          }
        }
      }
    }
    return strong;
  }

  /**
   * For each level l, whether the brighter tissue next to it rises gradually (bone): among the
   * background voxels outside the zones within 2 mm of a brighter level, the share that lies on no
   * level. A sharp boundary (lung against soft tissue) has none but noise outliers.
   */
  private static boolean[] gradualEdges(boolean[][] nearUpper, byte[] label, byte[] kind) {
    boolean[] gradual = new boolean[nearUpper.length];
    for (int l = 0; l < nearUpper.length - 1; l++) { // nothing lies above the top level
      int candidates = 0;
      int off = 0;
      for (int p = 0; p < label.length; p++) {
        if (kind[p] != 0 || !nearUpper[l][p]) {
          continue;
        }
        boolean byValue = (label[p] & BackgroundLevels.BY_PROXIMITY) == 0;
        if (byValue && (label[p] & BackgroundLevels.LEVEL) > l) {
          continue;
        }
        candidates++;
        off += byValue ? 0 : 1;
      }
      gradual[l] = candidates > 0 && off > GRADUAL * candidates;
    }
    return gradual;
  }

  /**
   * For each level l, the voxels within 2 mm of a voxel lying on a level above l (placed by its
   * value, not by proximity).
   */
  private static boolean[][] nearUpperLevel(byte[] label, int levels, int eni, int enj, int nk, CtScan scan) {
    boolean[][] near = new boolean[levels][];
    int mx = (int) Math.ceil(2.0 / scan.dx());
    int my = (int) Math.ceil(2.0 / scan.dy());
    int mz = (int) Math.ceil(2.0 / scan.dz());
    for (int l = 0; l < levels; l++) {
      boolean[] above = new boolean[label.length];
      boolean any = false;
      for (int p = 0; p < label.length; p++) {
        if ((label[p] & BackgroundLevels.BY_PROXIMITY) == 0 && (label[p] & BackgroundLevels.LEVEL) > l) {
          above[p] = true;
          any = true;
        }
      }
      near[l] = any ? Zone.dilate(Zone.dilate(Zone.dilate(above, 1, eni, eni, enj, nk, mx), eni, enj, eni, enj, nk, my),
          eni * enj, nk, eni, enj, nk, mz) : above;
    }
    return near;
  }
}
