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
   * A post-implant CT holds up to a few hundred seeds and as many other bright objects; more
   * separate objects than this are noise or a pattern, and measuring each would take minutes.
   */
  static final int MAX_OBJECTS = 3000;
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
    List<Zone> zones = zones(scan, cores, contrast, rejected);
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
  private List<Zone> zones(CtScan scan, int[] cores, int contrast, List<RejectedCandidate> rejected)
      throws UnusableScanException, InterruptedException {
    List<int[]> groups = Components.label(cores, scan.nx(), scan.ny(), scan.nz());
    if (groups.size() > MAX_OBJECTS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are measured):"
          + " noise or a pattern rather than a post-implant CT", groups.size(), MAX_OBJECTS));
    }
    int[] margin = {(int) Math.ceil(settings.marginMm() / scan.dx()), (int) Math.ceil(settings.marginMm() / scan.dy()),
        Math.max(1, (int) Math.ceil(settings.marginMm() / scan.dz()))};
    double reach = settings.seedLengthMm() / 2 + settings.marginMm();
    List<Zone> zones = new ArrayList<>();
    for (int[] g : groups) {
      int[] linear = new int[g.length];
      for (int m = 0; m < g.length; m++) {
        linear[m] = cores[g[m]];
      }
      Zone z = new Zone(linear, scan, margin, reach);
      double extent = Math.max(z.coreExtentMm[0], Math.max(z.coreExtentMm[1], z.coreExtentMm[2]));
      if (extent > settings.boneExtentMm()) {
        rejected.add(new RejectedCandidate(toPatient(scan, z.coreCentroidMm), Rejection.BONE,
            String.format("bright structure %.0f mm across", extent)));
        zones.addAll(embeddedIn(linear, scan, contrast, margin, reach, 0));
        continue;
      }
      if (coreWidthMm(linear, scan) > CHAIN_WIDTH_MM && peak(linear, scan) >= MetalEvidence.METAL_HU) {
        // wider than any strand or cluster, and holding metal: seeds of a dense implant joined by
        // their streaks; the objects of metal inside it are measured
        List<Zone> inside = embeddedIn(linear, scan, contrast, MetalEvidence.METAL_HU, margin, reach, 0);
        if (!inside.isEmpty()) {
          zones.addAll(inside);
          continue;
        }
      }
      zones.add(z);
    }
    checkCover(zones, scan);
    for (int a = 0; a < zones.size(); a++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("seed detection stopped");
      }
      for (int b = a + 1; b < zones.size(); b++) {
        if (zones.get(a).boxOverlaps(zones.get(b))) {
          zones.get(a).yieldTo(zones.get(b));
          zones.get(b).yieldTo(zones.get(a));
        }
      }
    }
    return zones;
  }

  /** Each zone measured against its local background, the zones near it left out of the background. */
  private List<Region> measure(CtScan scan, List<Zone> zones, double noise) throws InterruptedException {
    int shellX = (int) Math.ceil(SHELL_MM / scan.dx());
    int shellY = (int) Math.ceil(SHELL_MM / scan.dy());
    double floor = 2.5 * noise;
    List<Callable<Region>> measures = new ArrayList<>();
    for (Zone z : zones) {
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

  /** Refuses a volume whose zones would together cover more than {@link #MAX_ZONE_COVER} of it. */
  private static void checkCover(List<Zone> zones, CtScan scan) throws UnusableScanException {
    if (zones.size() > MAX_OBJECTS) {
      throw new UnusableScanException(String.format("%d separate bright objects (at most %d are measured)",
          zones.size(), MAX_OBJECTS));
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
