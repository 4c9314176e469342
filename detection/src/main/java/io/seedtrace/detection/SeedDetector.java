package io.seedtrace.detection;

import io.seedtrace.detection.internal.Blob;
import io.seedtrace.detection.internal.Components;
import io.seedtrace.detection.internal.Foreground;
import io.seedtrace.detection.internal.KMeans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds I-125 seeds in a post-implant CT: threshold above bone, 26-connected components, weighted
 * moments per component, calibration of one seed's size and peak from the components of this very
 * scan, rejection of what is not a seed (gold fiducials, clips, calcification/bone, seeds cut by
 * the first or last slice), and splitting of touching seeds by weighted k-means.
 *
 * <pre>{@code DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(scan);}</pre>
 */
public final class SeedDetector {

  /** Titanium seeds stay far below this on an extended HU scale; gold does not. */
  static final int GOLD_ABSOLUTE_HU = 12000;

  private final DetectorSettings settings;

  public SeedDetector(DetectorSettings settings) {
    this.settings = settings;
  }

  public DetectionResult detect(CtScan scan) throws InterruptedException {
    Map<String, Double> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    int[] voxels = Foreground.above(scan, settings.thresholdHu(), settings.threads());
    long t1 = System.nanoTime();
    timings.put("threshold", (t1 - t0) / 1e6);
    List<int[]> groups = Components.label(voxels, scan.nx(), scan.ny(), scan.nz());
    long t2 = System.nanoTime();
    timings.put("components", (t2 - t1) / 1e6);
    List<Blob> blobs = new ArrayList<>(groups.size());
    for (int[] g : groups) {
      blobs.add(new Blob(g, voxels, scan.hu(), scan.nx(), scan.ny(), scan.nz(), scan.dx(), scan.dy(), scan.dz(),
          settings.thresholdHu()));
    }
    long t3 = System.nanoTime();
    timings.put("moments", (t3 - t2) / 1e6);

    List<Seed> seeds = new ArrayList<>();
    List<RejectedCandidate> rejected = new ArrayList<>();
    int ambiguous = 0;
    int minCount = 0;
    int maxCount = 0;
    double singleVolume = 0;
    if (!blobs.isEmpty()) {
      double typicalPeak = median(blobs.stream().filter(b -> !b.touchesEndSlice && b.peakHu <= GOLD_ABSOLUTE_HU)
              .mapToDouble(b -> b.peakHu).toArray(), blobs.stream().mapToDouble(b -> b.peakHu).toArray());
      List<Blob> seedLike = blobs.stream()
          .filter(b -> b.peakHu >= settings.minPeakRatio() * typicalPeak && b.peakHu <= settings.goldPeakRatio() * typicalPeak
              && b.peakHu <= GOLD_ABSOLUTE_HU && !b.touchesEndSlice)
          .toList();
      double singleMass = median(seedLike.stream().mapToDouble(b -> b.contrastMass).toArray(), new double[] {1});
      singleVolume = singleMass;
      double singleLength = median(seedLike.stream().filter(b -> Math.abs(b.contrastMass / singleMass - 1) < 0.3)
          .mapToDouble(b -> b.lengthMm).toArray(), new double[] {4.5});
      double singleThickness = median(seedLike.stream().mapToDouble(b -> b.thicknessMm).toArray(), new double[] {1});
      int clusterId = 0;
      for (Blob b : blobs) {
        double ratio = b.contrastMass / singleVolume;
        double[] centre = toPatient(scan, b.centreMm);
        String facts = String.format("peak %d HU, %.1f seed-equivalents, length %.1f mm", b.peakHu, ratio, b.lengthMm);
        if (b.peakHu > settings.goldPeakRatio() * typicalPeak || b.peakHu > GOLD_ABSOLUTE_HU) {
          rejected.add(new RejectedCandidate(centre, Rejection.GOLD_FIDUCIAL, facts));
          continue;
        }
        if (b.peakHu < settings.minPeakRatio() * typicalPeak) {
          Rejection why = b.lengthMm > settings.clipLengthRatio() * singleLength ? Rejection.SURGICAL_CLIP
              : ratio > 3 ? Rejection.BONE : Rejection.CALCIFICATION;
          rejected.add(new RejectedCandidate(centre, why, facts));
          continue;
        }
        if (b.lengthMm > settings.clipLengthRatio() * singleLength && b.thicknessMm < 0.8 * singleThickness
            && b.peakHu < 0.85 * typicalPeak) {
          rejected.add(new RejectedCandidate(centre, Rejection.SURGICAL_CLIP, facts));
          continue;
        }
        double zMm = b.centreMm[2];
        double toEdge = Math.min(zMm, (scan.nz() - 1) * scan.dz() - zMm);
        boolean cut = b.touchesEndSlice
            && (ratio < 0.75 || toEdge < 0.5 * singleLength * Math.abs(b.axisMm[2]) + 0.5 * scan.dz());
        if (cut) {
          rejected.add(new RejectedCandidate(centre, Rejection.CUT_BY_SCAN_EDGE, facts));
          continue;
        }
        if (ratio < 0.35) {
          rejected.add(new RejectedCandidate(centre, Rejection.TOO_SMALL, facts));
          continue;
        }
        int n = Math.max(1, (int) Math.round(ratio));
        boolean unsure = Math.abs(ratio - n) > 0.3;
        if (unsure) {
          ambiguous++;
          minCount += (int) Math.floor(ratio);
          maxCount += (int) Math.ceil(ratio);
        } else {
          minCount += n;
          maxCount += n;
        }
        clusterId++;
        if (n == 1) {
          double confidence = clamp(1 - 1.5 * Math.abs(ratio - 1), 0.1, 1);
          seeds.add(new Seed(centre, toPatientAxis(scan, b.axisMm), confidence, clusterId, 1));
        } else {
          seeds.addAll(split(scan, b, voxels, n, clusterId, clamp(0.8 * (1 - Math.abs(ratio - n)), 0.1, 0.8)));
        }
      }
    }
    long t4 = System.nanoTime();
    timings.put("classify-and-split", (t4 - t3) / 1e6);
    timings.put("total", (t4 - t0) / 1e6);
    return new DetectionResult(seeds, rejected, minCount, maxCount, ambiguous, singleVolume, timings);
  }

  private List<Seed> split(CtScan scan, Blob b, int[] voxels, int n, int clusterId, double confidence) {
    int plane = scan.nx() * scan.ny();
    double[][] pts = new double[b.members.length][3];
    double[] w = new double[b.members.length];
    for (int m = 0; m < b.members.length; m++) {
      int v = voxels[b.members[m]];
      int k = v / plane;
      int rem = v - k * plane;
      int j = rem / scan.nx();
      int i = rem - j * scan.nx();
      pts[m] = new double[] {i * scan.dx(), j * scan.dy(), k * scan.dz()};
      w[m] = scan.hu()[v] - settings.thresholdHu();
    }
    int[] label = KMeans.assign(pts, w, n);
    List<Seed> out = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      List<Integer> idx = new ArrayList<>();
      for (int m = 0; m < label.length; m++) {
        if (label[m] == c) {
          idx.add(b.members[m]);
        }
      }
      if (idx.isEmpty()) {
        continue;
      }
      int[] members = idx.stream().mapToInt(Integer::intValue).toArray();
      Blob part = new Blob(members, voxels, scan.hu(), scan.nx(), scan.ny(), scan.nz(), scan.dx(), scan.dy(), scan.dz(),
          settings.thresholdHu());
      out.add(new Seed(toPatient(scan, part.centreMm), toPatientAxis(scan, part.axisMm), confidence, clusterId, n));
    }
    return out;
  }

  private static double[] toPatient(CtScan scan, double[] mm) {
    return scan.toPatient(mm[0] / scan.dx(), mm[1] / scan.dy(), mm[2] / scan.dz());
  }

  private static double[] toPatientAxis(CtScan scan, double[] axisMm) {
    double[] d = scan.toPatientDirection(axisMm[0], axisMm[1], axisMm[2]);
    double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    return new double[] {d[0] / norm, d[1] / norm, d[2] / norm};
  }

  private static double median(double[] values, double[] fallback) {
    double[] v = values.length > 0 ? values.clone() : fallback.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
