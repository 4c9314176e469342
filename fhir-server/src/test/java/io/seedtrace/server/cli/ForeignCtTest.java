package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code detect} command on CTs from a phantom generator that is not ours (the project's
 * shared {@code detection-foreign} cases: another anatomy, seed model, point spread, noise and
 * streaks, 12-bit scale). The archives are unpacked at test time into {@code target/}; none of it
 * is in the repository. Each case must finish within the bound and, on the scan without seeds,
 * count none; the accuracy of each case is printed as a {@code FOREIGN} line (matched within 3 mm,
 * seeds cut by the scan edge optional, as the cases' own score.py does). Skipped with a message
 * where the cases are not on this machine ({@code -Dseedtrace.foreign-ct-dir=...} points at them).
 */
class ForeignCtTest {

  /** The hook a developer sees before stopping allows 15 s a case; the detector needs a few hundred ms. */
  private static final long BOUND_MS = 15_000;

  @TestFactory
  Stream<DynamicTest> detectorOnForeignCts() throws Exception {
    Path archives = Path.of(System.getProperty("seedtrace.foreign-ct-dir", "../../shared/detection-foreign"));
    Assumptions.assumeTrue(Files.isDirectory(archives), "no foreign CT cases at " + archives.toAbsolutePath()
        + " (set -Dseedtrace.foreign-ct-dir); skipped");
    List<Path> cases;
    try (Stream<Path> s = Files.list(archives)) {
      cases = s.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).sorted().toList();
    }
    Assumptions.assumeFalse(cases.isEmpty(), "no .tar.gz case in " + archives);
    Path work = Files.createDirectories(Path.of("target", "foreign-ct"));
    return cases.stream().map(a -> DynamicTest.dynamicTest(a.getFileName().toString(), () -> runCase(a, work)));
  }

  private static void runCase(Path archive, Path work) throws Exception {
    String name = archive.getFileName().toString().replace(".tar.gz", "");
    unpack(archive, work);
    Path dir = work.resolve(name);
    Path json = work.resolve(name + ".json");
    long t0 = System.nanoTime();
    CliRun r = CliRun.of(DetectCommand::run, dir.resolve("dicom").toString(), "--json", json.toString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.exit()).as(r.err()).isZero();
    Score score = Score.of(new ObjectMapper().readTree(dir.resolve("ground_truth.json").toFile()),
        new ObjectMapper().readTree(json.toFile()));
    System.out.printf("FOREIGN %-22s truth %3d detected %3d (range %s) matched %3d recall %6.2f%% precision %6.2f%%"
            + " centre median %.2f p95 %.2f mm, %d ms%n", name, score.truth, score.detected, score.range, score.matched,
        100.0 * score.matched / Math.max(1, score.truth), 100.0 * score.matched / Math.max(1, score.detected),
        score.percentile(0.5), score.percentile(0.95), ms);
    assertThat(ms).as("detection time of " + name).isLessThanOrEqualTo(BOUND_MS);
    if (score.truth == 0) {
      assertThat(score.detected).as("seeds invented on " + name + ", a scan without seeds").isZero();
    }
  }

  private static void unpack(Path archive, Path into) throws IOException, InterruptedException {
    Process tar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C",
        into.toAbsolutePath().toString()).redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes());
    assertThat(tar.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(output).isZero();
  }

  /** Greedy matching of detections to truth within 3 mm; seeds cut by the scan edge may be missed. */
  static final class Score {
    int truth;
    int detected;
    int matched;
    String range;
    final List<Double> errors = new ArrayList<>();

    static Score of(JsonNode groundTruth, JsonNode result) {
      List<double[]> required = new ArrayList<>();
      List<double[]> optional = new ArrayList<>();
      for (JsonNode s : groundTruth.get("seeds")) {
        (s.path("cut_by_edge").asBoolean() ? optional : required).add(vector(s.get("center_mm")));
      }
      List<double[]> found = new ArrayList<>();
      for (JsonNode s : result.get("seeds")) {
        found.add(vector(s.get("centerMm")));
      }
      Score score = new Score();
      score.truth = required.size();
      score.range = result.path("uncertainty").path("minCount").asInt() + ".."
          + result.path("uncertainty").path("maxCount").asInt();
      List<double[]> all = new ArrayList<>(required);
      all.addAll(optional);
      List<double[]> pairs = new ArrayList<>();
      for (int t = 0; t < all.size(); t++) {
        for (int d = 0; d < found.size(); d++) {
          double dist = distance(all.get(t), found.get(d));
          if (dist <= 3.0) {
            pairs.add(new double[] {dist, t, d});
          }
        }
      }
      pairs.sort((a, b) -> Double.compare(a[0], b[0]));
      boolean[] truthUsed = new boolean[all.size()];
      boolean[] foundUsed = new boolean[found.size()];
      int optionalMatched = 0;
      for (double[] p : pairs) {
        int t = (int) p[1];
        int d = (int) p[2];
        if (truthUsed[t] || foundUsed[d]) {
          continue;
        }
        truthUsed[t] = true;
        foundUsed[d] = true;
        if (t < required.size()) {
          score.matched++;
          score.errors.add(p[0]);
        } else {
          optionalMatched++;
        }
      }
      score.detected = found.size() - optionalMatched;
      return score;
    }

    double percentile(double q) {
      if (errors.isEmpty()) {
        return Double.NaN;
      }
      double[] v = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return v[Math.min(v.length - 1, (int) Math.floor(q * (v.length - 1) + 0.5))];
    }

    private static double[] vector(JsonNode a) {
      return new double[] {a.get(0).asDouble(), a.get(1).asDouble(), a.get(2).asDouble()};
    }

    private static double distance(double[] a, double[] b) {
      return Math.sqrt(Arrays.stream(new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]}).map(x -> x * x).sum());
    }
  }
}
