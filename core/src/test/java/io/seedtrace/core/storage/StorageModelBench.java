package io.seedtrace.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Time of one storage-model decision with a population of N = 10,000 histories (K = 5,000 used)
 * drawn from 20,000: 3 warm-up runs, then 20 measured. Run: {@code ./mvnw -pl core -Pbench test}.
 */
class StorageModelBench {

  @Test
  void tenThousandHistories() {
    List<Batch> history = new ArrayList<>();
    Random r = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      int q = 20 + r.nextInt(130);
      history.add(new Batch("M" + r.nextInt(4), "P" + r.nextInt(2), "X" + r.nextInt(3), q, q * (10 + r.nextInt(10)),
          q > 40 ? r.nextDouble() < 0.65 : r.nextDouble() < 0.2));
    }
    StorageModel model = new StorageModel(new StorageModelSettings(10_000, 5_000, 4, 0.4, 0.3, 4, 10, 7));
    Batch probe = new Batch("M1", "P1", "X1", 60, 900, false);
    StorageModel.Decision d = null;
    for (int i = 0; i < 3; i++) {
      d = model.decide(probe, history);
    }
    double[] ms = new double[20];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      d = model.decide(probe, history);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("BENCH storage model, N = 10000 of 20000 histories: median %.1f ms, min %.1f, max %.1f ms"
        + " (%d iterations; %s)%n", (ms[9] + ms[10]) / 2, ms[0], ms[ms.length - 1], d.iterations().size(), d.explanation());
    assertThat(d.populationSize()).isEqualTo(10_000);
  }
}
