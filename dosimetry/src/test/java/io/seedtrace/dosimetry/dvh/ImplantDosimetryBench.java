package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dosimetry.Seed;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Time of a whole post-implant evaluation (dose grid over the target + 10 mm, rasterisation, DVHs,
 * metrics) on the generated implant (33.5 cc prostate, urethra, rectum), at 1 mm and 0.5 mm. Run:
 * {@code ./mvnw -pl dosimetry -Pbench test}; figures are printed as BENCH lines.
 */
class ImplantDosimetryBench {

  private static final int WARMUP = 3;
  private static final int RUNS = 9;

  @Test
  void theGeneratedImplantAtOneAndAHalfMillimetre() {
    List<Seed> seeds = GeneratedImplant.seeds(0.5);
    List<Structure> structures = GeneratedImplant.structures(5);
    for (double spacing : new double[] {1.0, 0.5}) {
      ImplantDosimetry dosimetry = new ImplantDosimetry(ImplantDosimetry.Settings.defaults().withSpacing(spacing));
      List<Double> ms = new ArrayList<>();
      ImplantDosimetry.Result last = null;
      for (int run = 0; run < WARMUP + RUNS; run++) {
        long start = System.nanoTime();
        last = dosimetry.evaluate(seeds, structures);
        if (run >= WARMUP) {
          ms.add((System.nanoTime() - start) / 1e6);
        }
      }
      Collections.sort(ms);
      int voxels = last.doseGy().size();
      assertThat(last.metrics().value("dose-d90")).isPresent();
      System.out.printf("BENCH implant evaluation, %d seeds, %.1f mm grid %dx%dx%d (%.1f MB floats): median %.0f ms "
          + "(min %.0f, max %.0f) over %d runs; D90 %.1f Gy, V100 %.1f %%; load average %.2f%n", seeds.size(), spacing,
          last.doseGy().nx(), last.doseGy().ny(), last.doseGy().nz(), voxels * 4 / 1e6, ms.get(ms.size() / 2),
          ms.get(0), ms.get(ms.size() - 1), RUNS, last.metrics().value("dose-d90").orElseThrow(),
          last.metrics().value("dose-v100").orElseThrow(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
