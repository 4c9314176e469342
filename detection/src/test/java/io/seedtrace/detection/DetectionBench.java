package io.seedtrace.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection time on a 512 x 512 x N volume with 100 seeds (volume already in memory), against one
 * plain sequential pass over the voxels (the floor), with 1 and 2 threads, for 100, 200 and 400
 * slices, and the memory one detection allocates besides the volume. Run: {@code ./mvnw -pl detection -Pbench test}; figures are printed as BENCH lines.
 */
class DetectionBench {

  private static final int RUNS = 11;

  @Test
  void detectionTime() throws Exception {
    for (int slices : new int[] {100, 200, 400}) {
      Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 512, 512, slices, 0.7,
          140.0 / slices * (slices == 200 ? 1 : 1), 80, 6, 2, 0, true, true, 20, 11));
      CtScan scan = p.scan();
      List<Double> floor = time(() -> plainPass(scan));
      long allocated = allocatedByOneDetection(scan);
      System.out.println(String.format("BENCH detection 512x512x%d allocates %.1f MB per run on one thread "
          + "(the volume itself is %.1f MB)", slices, allocated / 1e6, scan.hu().length * 2 / 1e6));
      for (int threads : new int[] {1, 2}) {
        SeedDetector detector = new SeedDetector(DetectorSettings.defaults().withThreads(threads));
        int[] count = new int[1];
        List<Double> t = time(() -> count[0] = detector.detect(scan).count());
        assertThat(count[0]).isPositive();
        System.out.println(String.format("BENCH detection 512x512x%d, %d seeds, %d thread(s): median %.0f ms "
            + "(min %.0f, max %.0f); plain voxel pass median %.0f ms; ratio %.1f", slices, p.seeds().size(), threads,
            median(t), Collections.min(t), Collections.max(t), median(floor), median(t) / median(floor)));
      }
    }
  }

  private static volatile long sink;

  /** Bytes allocated by one single-threaded detection (everything then runs on this thread). */
  private static long allocatedByOneDetection(CtScan scan) throws Exception {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SeedDetector detector = new SeedDetector(DetectorSettings.defaults().withThreads(1));
    detector.detect(scan);
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    detector.detect(scan);
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
  }

  private static void plainPass(CtScan scan) {
    short[] hu = scan.hu();
    long above = 0;
    for (short v : hu) {
      if (v > 1200) {
        above++;
      }
    }
    sink = above;
  }

  interface Work {
    void run() throws Exception;
  }

  private static List<Double> time(Work work) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int r = 0; r < RUNS + 3; r++) {
      long t0 = System.nanoTime();
      work.run();
      if (r >= 3) {
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return ms;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
