package io.seedtrace.detection;

import io.seedtrace.detection.internal.Components;
import io.seedtrace.detection.internal.NoiseLevel;
import io.seedtrace.detection.internal.Parallel;
import io.seedtrace.detection.internal.Region;
import io.seedtrace.detection.internal.RingCores;
import io.seedtrace.detection.internal.SymmetricEigen;
import io.seedtrace.detection.internal.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Finds I-125 seeds in a post-implant CT by local contrast: core voxels brighter than a ring of
 * points around them ({@link RingCores}), grouped into objects, each measured over its
 * neighbourhood against the local background ({@link Region}). One seed's integrated contrast and
 * the scan's blur are calibrated on the isolated seeds of this very scan ({@link ScanCalibration});
 * each object is then a gold fiducial, a clip, a calcification, bone, a seed cut by the scan edge,
 * or a whole number of seeds ({@link ObjectClassifier}), split into seeds when more than one
 * ({@link ChainSplitter}).
 *
 * <pre>{@code DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(scan);}</pre>
 */
public final class SeedDetector {

  private static final double SHELL_MM = 3.0;
  /**
   * A post-implant CT holds up to a few hundred seeds and as many other bright objects, but a sharp
   * kernel turns metal streaks into thousands of small bright spots: at most this many objects, the
   * heaviest by their core voxels (a seed's metal makes several bright cores, a speck of a streak one
   * or two), are measured, so that the work stays within the time bound.
   */
  static final int MAX_OBJECTS = 800;
  /** More separate bright objects than this are noise or a pattern, not a post-implant CT. */
  static final int MAX_GROUPS = 20000;
  /**
   * The zones measured may together cover at most this multiple of the volume (each zone's box is
   * read and labelled once); more is a volume bright nearly everywhere.
   */
  static final double MAX_ZONE_COVER = 1.0;
  /**
   * The width (mm, across its length) beyond which a group of core voxels is no strand or cluster of
   * seeds: about two seed lengths; seeds side by side make 2-4 mm.
   */
  private static final double CHAIN_WIDTH_MM = 9.0;
  /** How many times a bright structure is looked into for brighter objects inside it. */
  private static final int EMBEDDED_DEPTH = 2;

  private final DetectorSettings settings;

  public SeedDetector(DetectorSettings settings) {
    this.settings = settings;
  }

  /**
   * Finds the seeds of a scan. Ends in time bounded by the volume's size: every step is at most
   * O(m log m) in an object's voxel count m, a chain is split into at most as many seeds as its
   * size can hold, and a volume with more than {@value #MAX_OBJECTS} separate bright objects is
   * refused. Responds to interruption (the server stops a detection that overruns its budget).
   *
   * @throws UnusableScanException when the volume is not a CT the seeds can be counted in
   */
  public DetectionResult detect(CtScan scan) throws InterruptedException, UnusableScanException {
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    double noise = NoiseLevel.of(scan);
    int contrast = (int) Math.max(settings.coreContrastHu(), 7 * noise);
    int[] cores = RingCores.find(scan, settings.ringRadiusMm(), contrast, settings.threads());
    long t1 = System.nanoTime();
    timings.put("cores", (t1 - t0) / 1e6);
    List<RejectedCandidate> rejected = new ArrayList<>();
    Objects zones = zones(scan, cores, contrast, rejected);
    timings.put("zones", (System.nanoTime() - t1) / 1e6);
    List<Region> regions = measure(scan, zones, noise);
    long t2 = System.nanoTime();
    timings.put("regions", (t2 - t1) / 1e6);

    ScanCalibration calibration = ScanCalibration.of(regions, scan, noise, settings);
    ObjectClassifier objects = new ObjectClassifier(scan, settings, calibration, regions, rejected);
    for (int ri = 0; ri < regions.size(); ri++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("seed detection stopped");
      }
      objects.judge(ri);
    }
    long t3 = System.nanoTime();
    timings.put("classify-and-split", (t3 - t2) / 1e6);
    timings.put("total", (t3 - t0) / 1e6);
    return new DetectionResult(objects.seeds, rejected, objects.minCount, objects.maxCount, objects.ambiguous,
        Double.isNaN(calibration.single) ? 0 : calibration.single, timings);
  }

  /**
   * The zones to measure: one per group of touching core voxels; a group larger than bone can be
   * (see {@link DetectorSettings#boneExtentMm()}) is rejected as bone and only the far brighter
   * objects inside it are kept. Zones whose boxes overlap yield their shared voxels to each other.
   */
  private Objects zones(CtScan scan, int[] cores, int contrast, List<RejectedCandidate> rejected)
      throws UnusableScanException, InterruptedException {
    List<int[]> groups = Components.label(cores, scan.nx(), scan.ny(), scan.nz());
    if (groups.size() > MAX_GROUPS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are looked at):"
          + " noise or a pattern rather than a post-implant CT", groups.size(), MAX_GROUPS));
    }
    java.util.Set<int[]> heavy = heaviest(groups, cores, scan.hu(), MAX_OBJECTS);
    int[] margin = {(int) Math.ceil(settings.marginMm() / scan.dx()), (int) Math.ceil(settings.marginMm() / scan.dy()),
        Math.max(1, (int) Math.ceil(settings.marginMm() / scan.dz()))};
    double reach = settings.seedLengthMm() / 2 + settings.marginMm();
    // the heavy groups' zones are built in parallel, then taken in the groups' order
    List<Callable<List<Zone>>> building = new ArrayList<>();
    List<List<RejectedCandidate>> rejectedPerGroup = new ArrayList<>();
    for (int[] g : groups) {
      if (heavy.contains(g)) {
        List<RejectedCandidate> own = new ArrayList<>();
        rejectedPerGroup.add(own);
        building.add(() -> objectsOf(coreVoxels(g, cores), scan, contrast, margin, reach, own));
      }
    }
    List<Zone> zones = new ArrayList<>();
    for (List<Zone> built : Parallel.run(building, settings.threads())) {
      zones.addAll(built);
    }
    rejectedPerGroup.forEach(rejected::addAll);
    List<Boolean> measured = new ArrayList<>(java.util.Collections.nCopies(zones.size(), true));
    // the objects not measured still own their voxels where they lie near a measured one
    int[] near = {margin[0] + (int) Math.ceil((reach + SHELL_MM) / scan.dx()),
        margin[1] + (int) Math.ceil((reach + SHELL_MM) / scan.dy()), margin[2] + (int) Math.ceil(reach / scan.dz())};
    List<Zone> heavyZones = List.copyOf(zones);
    for (int[] g : groups) {
      if (!heavy.contains(g) && nearAny(coreVoxels(g, cores), scan, near, heavyZones)) {
        zones.add(new Zone(coreVoxels(g, cores), scan, margin, reach));
        measured.add(false);
      }
    }
    Objects objects = new Objects(zones, measured);
    checkCover(objects.measured(), scan);
    objects.yieldSharedVoxels();
    return objects;
  }

  private static int[] coreVoxels(int[] group, int[] cores) {
    int[] linear = new int[group.length];
    for (int m = 0; m < group.length; m++) {
      linear[m] = cores[group[m]];
    }
    return linear;
  }

  /** Whether a group's core voxels, their box widened by {@code near} voxels, meet any zone's box. */
  private static boolean nearAny(int[] linear, CtScan scan, int[] near, List<Zone> zones) {
    int nx = scan.nx();
    int plane = nx * scan.ny();
    int i0 = Integer.MAX_VALUE, j0 = Integer.MAX_VALUE, k0 = Integer.MAX_VALUE, i1 = -1, j1 = -1, k1 = -1;
    for (int v : linear) {
      int k = v / plane;
      int j = (v - k * plane) / nx;
      int i = v - k * plane - j * nx;
      i0 = Math.min(i0, i); i1 = Math.max(i1, i);
      j0 = Math.min(j0, j); j1 = Math.max(j1, j);
      k0 = Math.min(k0, k); k1 = Math.max(k1, k);
    }
    for (Zone z : zones) {
      if (i0 - near[0] < z.i0 + z.ni && z.i0 <= i1 + near[0] && j0 - near[1] < z.j0 + z.nj && z.j0 <= j1 + near[1]
          && k0 - near[2] < z.k0 + z.nk && z.k0 <= k1 + near[2]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The zones of one group of core voxels: itself; or, when larger than bone can be (rejected as
   * bone) or wider than any strand and holding metal (seeds of a dense implant joined by their
   * streaks), the brighter objects inside it.
   */
  private List<Zone> objectsOf(int[] linear, CtScan scan, int contrast, int[] margin, double reach,
      List<RejectedCandidate> rejected) {
    Zone z = new Zone(linear, scan, margin, reach);
    double extent = Math.max(z.coreExtentMm[0], Math.max(z.coreExtentMm[1], z.coreExtentMm[2]));
    if (extent > settings.boneExtentMm()) {
      rejected.add(new RejectedCandidate(toPatient(scan, z.coreCentroidMm), Rejection.BONE,
          String.format("bright structure %.0f mm across", extent)));
      return embeddedIn(linear, scan, contrast, margin, reach, 0);
    }
    if (coreWidthMm(linear, scan) > CHAIN_WIDTH_MM && peak(linear, scan) >= MetalEvidence.METAL_HU) {
      List<Zone> inside = embeddedIn(linear, scan, contrast, MetalEvidence.METAL_HU, margin, reach, 0);
      if (!inside.isEmpty()) {
        return inside;
      }
    }
    return List.of(z);
  }

  /**
   * Every zone of a scan, and which of them are measured (the rest still own their voxels, which
   * are then no one's background).
   */
  private record Objects(List<Zone> all, List<Boolean> isMeasured) {

    List<Zone> measured() {
      List<Zone> out = new ArrayList<>();
      for (int z = 0; z < all.size(); z++) {
        if (isMeasured.get(z)) {
          out.add(all.get(z));
        }
      }
      return out;
    }

    /** Zones whose boxes overlap yield their shared voxels to each other (pairs with a measured zone). */
    void yieldSharedVoxels() throws InterruptedException {
      int[] measuredIndex = java.util.stream.IntStream.range(0, all.size()).filter(isMeasured::get).toArray();
      for (int a = 0; a < all.size(); a++) {
        if (Thread.interrupted()) {
          throw new InterruptedException("seed detection stopped");
        }
        if (isMeasured.get(a)) {
          for (int b = a + 1; b < all.size(); b++) {
            yieldEachOther(all.get(a), all.get(b));
          }
        } else {
          for (int b : measuredIndex) {
            if (b > a) {
              yieldEachOther(all.get(a), all.get(b));
            }
          }
        }
      }
    }

    private static void yieldEachOther(Zone a, Zone b) {
      if (a.boxOverlaps(b)) {
        a.yieldTo(b);
        b.yieldTo(a);
      }
    }
  }

  /** Each zone measured against its local background, the zones near it left out of the background. */
  private List<Region> measure(CtScan scan, Objects objects, double noise) throws InterruptedException {
    List<Zone> zones = objects.all();
    int shellX = (int) Math.ceil(SHELL_MM / scan.dx());
    int shellY = (int) Math.ceil(SHELL_MM / scan.dy());
    double floor = 2.5 * noise;
    List<Callable<Region>> measures = new ArrayList<>();
    for (Zone z : objects.measured()) {
      List<Zone> near = new ArrayList<>();
      for (Zone o : zones) {
        if (o != z && o.i0 <= z.i0 + z.ni + shellX && z.i0 - shellX <= o.i0 + o.ni && o.j0 <= z.j0 + z.nj + shellY
            && z.j0 - shellY <= o.j0 + o.nj && o.k0 < z.k0 + z.nk && z.k0 < o.k0 + o.nk) {
          near.add(o);
        }
      }
      measures.add(() -> new Region(z, near, scan, floor, SHELL_MM, settings.marginMm(), noise));
    }
    return Parallel.run(measures, settings.threads());
  }

  /** The {@code keep} groups of core voxels with the largest sum of their voxels' values over water (bright and large). */
  private static java.util.Set<int[]> heaviest(List<int[]> groups, int[] cores, short[] hu, int keep) {
    java.util.Set<int[]> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    if (groups.size() <= keep) {
      out.addAll(groups);
      return out;
    }
    long[] weight = new long[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      long sum = 0;
      for (int m : groups.get(g)) {
        sum += Math.max(0, hu[cores[m]]);
      }
      weight[g] = sum;
    }
    long[] sorted = weight.clone();
    Arrays.sort(sorted);
    long bar = sorted[sorted.length - keep];
    for (int g = 0; g < groups.size() && out.size() < keep; g++) {
      if (weight[g] > bar) {
        out.add(groups.get(g));
      }
    }
    for (int g = 0; g < groups.size() && out.size() < keep; g++) {
      if (weight[g] == bar) {
        out.add(groups.get(g));
      }
    }
    return out;
  }

  /**
   * Refuses a volume whose zones would together cover more than {@link #MAX_ZONE_COVER} of it, or
   * that are more than twice {@link #MAX_OBJECTS} once the objects inside bone are added.
   */
  private static void checkCover(List<Zone> zones, CtScan scan) throws UnusableScanException {
    if (zones.size() > 2 * MAX_OBJECTS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are measured)",
          zones.size(), 2 * MAX_OBJECTS));
    }
    double covered = 0;
    for (Zone z : zones) {
      covered += (double) z.ni * z.nj * z.nk;
    }
    double volume = (double) scan.nx() * scan.ny() * scan.nz();
    if (covered > MAX_ZONE_COVER * volume + 4e6) {
      throw new UnusableScanException(String.format("bright objects around %.0f%% of the volume: not a CT in which"
          + " seeds stand out from the tissue", 100 * covered / volume));
    }
  }

  /**
   * Objects far brighter than the large structure their cores belong to (a seed lying in or on
   * bone, the seeds of a dense implant joined by their streaks): the structure's core voxels more
   * than four core contrasts above its median, grouped again. The bar stays below the structure's
   * highest value, so that on a clamped scale the seeds saturating it are kept; a group still larger
   * than bone is looked into once more the same way.
   */
  private List<Zone> embeddedIn(int[] structure, CtScan scan, int contrast, int[] margin, double reach, int depth) {
    return embeddedIn(structure, scan, contrast, Integer.MIN_VALUE, margin, reach, depth);
  }

  /** As above, the bar never below {@code least} (HU). */
  private List<Zone> embeddedIn(int[] structure, CtScan scan, int contrast, int least, int[] margin, double reach,
      int depth) {
    short[] hu = scan.hu();
    int[] sorted = new int[structure.length];
    for (int m = 0; m < structure.length; m++) {
      sorted[m] = hu[structure[m]];
    }
    Arrays.sort(sorted);
    int bar = Math.min(Math.max(least, sorted[sorted.length / 2] + 4 * contrast), sorted[sorted.length - 1] - 1);
    int[] bright = Arrays.stream(structure).filter(v -> hu[v] > bar).toArray();
    List<Zone> out = new ArrayList<>();
    for (int[] g : Components.label(bright, scan.nx(), scan.ny(), scan.nz())) {
      int[] linear = new int[g.length];
      for (int m = 0; m < g.length; m++) {
        linear[m] = bright[g[m]];
      }
      Zone z = new Zone(linear, scan, margin, reach);
      if (Math.max(z.coreExtentMm[0], Math.max(z.coreExtentMm[1], z.coreExtentMm[2])) <= settings.boneExtentMm()) {
        out.add(z);
      } else if (depth < EMBEDDED_DEPTH && linear.length < structure.length) {
        out.addAll(embeddedIn(linear, scan, contrast, least, margin, reach, depth + 1));
      }
    }
    return out;
  }

  private static int peak(int[] linear, CtScan scan) {
    int top = Integer.MIN_VALUE;
    for (int v : linear) {
      top = Math.max(top, scan.hu()[v]);
    }
    return top;
  }

  /** Width of a group of core voxels across its length: sqrt(12 x its second principal variance), mm. */
  private static double coreWidthMm(int[] linear, CtScan scan) {
    if (linear.length < 8) {
      return 0;
    }
    double[] mean = new double[3];
    double[][] c = new double[3][3];
    int nx = scan.nx();
    int nxy = nx * scan.ny();
    double[] d = {scan.dx(), scan.dy(), scan.dz()};
    for (int v : linear) {
      double[] p = {(v % nx) * d[0], ((v % nxy) / nx) * d[1], (v / nxy) * d[2]};
      for (int a = 0; a < 3; a++) {
        mean[a] += p[a];
        for (int b = 0; b < 3; b++) {
          c[a][b] += p[a] * p[b];
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      mean[a] /= linear.length;
    }
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        c[a][b] = c[a][b] / linear.length - mean[a] * mean[b];
      }
    }
    return Math.sqrt(12 * Math.max(0, new SymmetricEigen(c).values[1]));
  }

  static double[] toPatient(CtScan scan, double[] mm) {
    return scan.toPatient(mm[0] / scan.dx(), mm[1] / scan.dy(), mm[2] / scan.dz());
  }

  static double[] toPatientAxis(CtScan scan, double[] axisMm) {
    double[] d = scan.toPatientDirection(axisMm[0], axisMm[1], axisMm[2]);
    double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    return new double[] {d[0] / norm, d[1] / norm, d[2] / norm};
  }
}
