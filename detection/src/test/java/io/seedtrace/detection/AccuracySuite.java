package io.seedtrace.detection;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generated accuracy suite: 25 cases (20-150 seeds; prostate- and lung-like; clusters, streaks,
 * distractors; 1, 2, 3 and 5 mm slices; one case with distractors and no seed), and the matching of
 * detections to truth.
 */
final class AccuracySuite {

  record Case(String name, PhantomSpec spec) {}

  /** Per-case outcome. */
  record Outcome(Case c, int truth, int detected, int matched, List<Double> centreErrors, List<Double> axisErrors,
      boolean certain) {
    boolean exact() {
      return truth == detected;
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    double[] slices = {1, 2, 3, 5};
    long seed = 100;
    for (double dz : slices) {
      int nz = (int) Math.round(70 / dz);
      for (PhantomSpec.Anatomy anatomy : PhantomSpec.Anatomy.values()) {
        double px = anatomy == PhantomSpec.Anatomy.PROSTATE ? 0.7 : 0.9;
        int n = (int) Math.round(150 / 1.0 / (px / 0.7) * 0.0) + 160;
        cases.add(new Case(anatomy + " " + (int) dz + "mm isolated",
            new PhantomSpec(anatomy, n, n, nz, px, dz, 30 + (int) (dz * 7), 0, 0, 0, false, false, 15, seed++)));
        cases.add(new Case(anatomy + " " + (int) dz + "mm clusters+streaks",
            new PhantomSpec(anatomy, n, n, nz, px, dz, 50, 4, 2, 0, false, true, 20, seed++)));
        cases.add(new Case(anatomy + " " + (int) dz + "mm distractors+edge",
            new PhantomSpec(anatomy, n, n, nz, px, dz, anatomy == PhantomSpec.Anatomy.PROSTATE ? 100 : 20, 2, 1, 2, true, true, 20, seed++)));
      }
    }
    cases.add(new Case("PROSTATE 2mm distractors only, no seed",
        new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 35, 0.7, 2, 0, 0, 0, 0, true, true, 20, seed)));
    return cases;
  }

  static Outcome run(Case c, SeedDetector detector) throws InterruptedException {
    Phantom p = PhantomGenerator.generate(c.spec());
    DetectionResult r = detector.detect(p.scan());
    List<Phantom.TruthSeed> truth = p.seeds().stream().filter(t -> !t.cutByEdge()).toList();
    boolean[] used = new boolean[r.seeds().size()];
    List<Double> centreErrors = new ArrayList<>();
    List<Double> axisErrors = new ArrayList<>();
    int matched = 0;
    // greedy: closest pairs first
    List<double[]> pairs = new ArrayList<>();
    for (int t = 0; t < truth.size(); t++) {
      for (int d = 0; d < r.seeds().size(); d++) {
        double dist = distance(truth.get(t).centre(), r.seeds().get(d).centre());
        if (dist < 3.0) {
          pairs.add(new double[] {dist, t, d});
        }
      }
    }
    pairs.sort((a, b) -> Double.compare(a[0], b[0]));
    boolean[] truthUsed = new boolean[truth.size()];
    for (double[] pr : pairs) {
      int t = (int) pr[1];
      int d = (int) pr[2];
      if (truthUsed[t] || used[d]) {
        continue;
      }
      truthUsed[t] = true;
      used[d] = true;
      matched++;
      centreErrors.add(pr[0]);
      if (!truth.get(t).inCluster()) {
        axisErrors.add(angle(truth.get(t).axis(), r.seeds().get(d).axis()));
      }
    }
    return new Outcome(c, truth.size(), r.count(), matched, centreErrors, axisErrors, r.countIsCertain());
  }

  static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  static double angle(double[] a, double[] b) {
    double dot = Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
    return Math.toDegrees(Math.acos(Math.min(1, dot)));
  }

  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.floor(q * (v.length - 1) + 0.5))];
  }
}
