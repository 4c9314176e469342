package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * Dose-rate grid time: 100 seeds (6711, 10 % without axis) on a 1 mm grid over a 70 x 70 x 70 mm box,
 * kernels already built (their build time is printed separately). Run:
 * {@code ./mvnw -pl dosimetry -Pbench test}; figures are printed as BENCH lines.
 */
class DoseGridBench {

  private static final int WARMUP = 5;
  private static final int RUNS = 15;

  @Test
  void hundredSeedsOnAOneMillimetreGrid() {
    List<Seed> seeds = SuperpositionTest.randomImplant(100, new Random(3));
    GridDoseCalculator calculator = new GridDoseCalculator();
    long t0 = System.nanoTime();
    calculator.accumulateDoseRate(seeds, DoseGrid.cube(new Point3(-35, -35, -35), 70, 10));
    double kernelMs = (System.nanoTime() - t0) / 1e6;
    List<Double> ms = new ArrayList<>();
    for (int run = 0; run < WARMUP + RUNS; run++) {
      DoseGrid grid = DoseGrid.cube(new Point3(-35, -35, -35), 70, 1.0);
      long start = System.nanoTime();
      calculator.accumulateDoseRate(seeds, grid);
      double elapsed = (System.nanoTime() - start) / 1e6;
      assertThat(grid.value(35, 35, 35)).isPositive();
      if (run >= WARMUP) {
        ms.add(elapsed);
      }
    }
    Collections.sort(ms);
    List<Double> single = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ForkJoinPool onePool = new ForkJoinPool(1);
    for (int run = 0; run < 7; run++) {
      DoseGrid grid = DoseGrid.cube(new Point3(-35, -35, -35), 70, 1.0);
      long start = System.nanoTime();
      // with parallelism 1 every slice runs on the pool's one worker, so its CPU time is the whole cost
      double cpuMs = onePool.submit(() -> {
        long c0 = threads.getCurrentThreadCpuTime();
        calculator.accumulateDoseRate(seeds, grid);
        return (threads.getCurrentThreadCpuTime() - c0) / 1e6;
      }).join();
      single.add((System.nanoTime() - start) / 1e6);
      cpu.add(cpuMs);
    }
    onePool.shutdown();
    Collections.sort(single);
    Collections.sort(cpu);
    System.out.printf("BENCH same on a one-thread pool: wall median %.0f ms (min %.0f, max %.0f); CPU time median %.0f ms"
        + " (min %.0f, max %.0f), %.1f ns per voxel and seed; load average %.2f%n", single.get(3), single.get(0),
        single.get(6), cpu.get(3), cpu.get(0), cpu.get(6), cpu.get(3) * 1e6 / (70 * 70 * 70 * 100.0),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf("BENCH dose grid 70x70x70 (1 mm, %.1f MB floats), 100 seeds, %d threads: median %.0f ms "
        + "(min %.0f, max %.0f) over %d runs; first call incl. kernel build %.0f ms%n",
        70 * 70 * 70 * 4 / 1e6, Runtime.getRuntime().availableProcessors(), ms.get(ms.size() / 2), ms.get(0),
        ms.get(ms.size() - 1), RUNS, kernelMs);
  }
}
