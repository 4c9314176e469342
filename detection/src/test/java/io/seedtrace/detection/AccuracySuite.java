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
 * detections to truth. The same 25 case types can be generated from other random seeds ({@link
 * #cases(long)}): the detector's rules were worked out on the default set (base 100), so the other
 * sets show how well they carry over to scans they were not tuned on.
 */
final class AccuracySuite {

  /** Random-seed base of the default suite, run in every build by {@code DetectionAccuracyTest}. */
  static final long DEFAULT_BASE = 100;
  /** Bases of the sets the targets are asserted over ({@code DetectionTargetsTest}). */
  static final long[] TARGET_BASES = {100, 5000, 7000};

  /** A named case: its slice thickness and how to generate it (by either phantom generator). */
  record Case(String name, double sliceMm, java.util.function.Supplier<Phantom> phantom) {

    /** A case of the project's first generator ({@link PhantomGenerator}). */
    static Case of(String name, PhantomSpec spec) {
      return new Case(name, spec.sliceMm(), () -> PhantomGenerator.generate(spec));
    }
  }

  /** Per-case outcome. */
  record Outcome(Case c, int truth, int detected, int matched, List<Double> centreErrors, List<Double> axisErrors,
      boolean certain) {
    boolean exact() {
      return truth == detected;
    }
  }

  /** The default suite (base {@value #DEFAULT_BASE}). */
  static List<Case> cases() {
    return cases(DEFAULT_BASE);
  }

  /** The 25 case types, the random seeds of the phantoms numbered from {@code base}. */
  static List<Case> cases(long base) {
    List<Case> cases = new ArrayList<>();
    double[] slices = {1, 2, 3, 5};
    long seed = base;
    for (double dz : slices) {
      int nz = (int) Math.round(70 / dz);
      for (PhantomSpec.Anatomy anatomy : PhantomSpec.Anatomy.values()) {
        double px = anatomy == PhantomSpec.Anatomy.PROSTATE ? 0.7 : 0.9;
        int n = (int) Math.round(150 / 1.0 / (px / 0.7) * 0.0) + 160;
        cases.add(Case.of(anatomy + " " + (int) dz + "mm isolated",
            new PhantomSpec(anatomy, n, n, nz, px, dz, 30 + (int) (dz * 7), 0, 0, 0, false, false, 15, seed++)));
        cases.add(Case.of(anatomy + " " + (int) dz + "mm clusters+streaks",
            new PhantomSpec(anatomy, n, n, nz, px, dz, 50, 4, 2, 0, false, true, 20, seed++)));
        cases.add(Case.of(anatomy + " " + (int) dz + "mm distractors+edge",
            new PhantomSpec(anatomy, n, n, nz, px, dz, anatomy == PhantomSpec.Anatomy.PROSTATE ? 100 : 20, 2, 1, 2, true, true, 20, seed++)));
      }
    }
    cases.add(Case.of("PROSTATE 2mm distractors only, no seed",
        new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 35, 0.7, 2, 0, 0, 0, 0, true, true, 20, seed)));
    return cases;
  }

  /** Runs every case of a set. */
  static List<Outcome> runAll(List<Case> cases, SeedDetector detector) throws Exception {
    return runAll(cases, detector, Integer.MAX_VALUE);
  }

  /**
   * Runs every case of a set with every voxel of the generated volume clamped at {@code clampHu}
   * after generation (a plain 12-bit scale stores nothing above 3071 HU); {@link Integer#MAX_VALUE}
   * leaves the volume as generated.
   */
  static List<Outcome> runAll(List<Case> cases, SeedDetector detector, int clampHu) throws Exception {
    List<Outcome> out = new ArrayList<>();
    for (Case c : cases) {
      out.add(run(c, detector, clampHu));
    }
    return out;
  }

  /**
   * Prints the per-case table of a set (a case whose count is off is marked), its SUMMARY line
   * (exact count, recall, precision) and one line per slice-thickness group.
   */
  static void print(String label, List<Outcome> outcomes) {
    print(label, outcomes, true);
  }

  /** As {@link #print(String, List)}, the per-case table only when {@code table}. */
  static void print(String label, List<Outcome> outcomes, boolean table) {
    System.out.println(String.format("== %s", label));
    if (table) {
      System.out.println(String.format("%-45s %6s %8s %7s %9s %9s %8s", "case", "truth", "detected", "matched",
          "ctr-med", "ctr-p95", "axis-med"));
    }
    for (Outcome o : table ? outcomes : List.<Outcome>of()) {
      System.out.println(String.format("%-45s %6d %8d %7d %9.2f %9.2f %8.1f%s", o.c().name(), o.truth(), o.detected(),
          o.matched(), percentile(o.centreErrors(), 0.5), percentile(o.centreErrors(), 0.95),
          percentile(o.axisErrors(), 0.5), o.exact() ? "" : "   <- count off"));
    }
    List<Outcome> withSeeds = outcomes.stream().filter(o -> o.truth() > 0).toList();
    int truth = withSeeds.stream().mapToInt(Outcome::truth).sum();
    int detected = withSeeds.stream().mapToInt(Outcome::detected).sum();
    int matched = withSeeds.stream().mapToInt(Outcome::matched).sum();
    System.out.println(String.format("SUMMARY %s: exact count %d of %d cases with seeds, %d of %d without;"
            + " recall %.2f%% (%d of %d); precision %.2f%% (%d of %d)", label,
        withSeeds.stream().filter(Outcome::exact).count(), withSeeds.size(),
        outcomes.stream().filter(o -> o.truth() == 0).filter(Outcome::exact).count(),
        outcomes.stream().filter(o -> o.truth() == 0).count(), 100.0 * matched / truth, matched, truth,
        100.0 * matched / detected, matched, detected));
    for (double[] range : new double[][] {{0, 2}, {3, 3}, {5, 5}}) {
      List<Outcome> group = withSeeds.stream()
          .filter(o -> o.c().sliceMm() >= range[0] && o.c().sliceMm() <= range[1]).toList();
      List<Double> centre = group.stream().flatMap(o -> o.centreErrors().stream()).toList();
      List<Double> axis = group.stream().flatMap(o -> o.axisErrors().stream()).toList();
      int t = group.stream().mapToInt(Outcome::truth).sum();
      int d = group.stream().mapToInt(Outcome::detected).sum();
      int m = group.stream().mapToInt(Outcome::matched).sum();
      System.out.println(String.format("SLICES %.0f-%.0f mm: exact %d of %d; recall %.2f%%; precision %.2f%%;"
          + " centre median %.2f mm, p95 %.2f mm; axis median %.1f deg", range[0], range[1],
          group.stream().filter(Outcome::exact).count(), group.size(), 100.0 * m / t, 100.0 * m / d,
          percentile(centre, 0.5), percentile(centre, 0.95), percentile(axis, 0.5)));
    }
  }

  static Outcome run(Case c, SeedDetector detector) throws Exception {
    return run(c, detector, Integer.MAX_VALUE);
  }

  /** As {@link #run(Case, SeedDetector)}, every voxel clamped at {@code clampHu} after generation. */
  static Outcome run(Case c, SeedDetector detector, int clampHu) throws Exception {
    Phantom p = c.phantom().get();
    clamp(p.scan().hu(), clampHu);
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

  /** Clamps every voxel at {@code clampHu}, in place. */
  static void clamp(short[] hu, int clampHu) {
    if (clampHu >= Short.MAX_VALUE) {
      return;
    }
    for (int n = 0; n < hu.length; n++) {
      if (hu[n] > clampHu) {
        hu[n] = (short) clampHu;
      }
    }
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
