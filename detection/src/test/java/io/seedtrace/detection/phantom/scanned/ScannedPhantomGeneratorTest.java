package io.seedtrace.detection.phantom.scanned;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.Phantom;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScannedPhantomGeneratorTest {

  /** Two 6711 seeds lying in plane on one line (axes along x), 20 mm apart, in the water cylinder. */
  private static final List<double[]> SEED_PAIR =
      List.of(new double[] {-10, 0, 0, 1, 0, 0}, new double[] {10, 0, 0, 1, 0, 0});

  @Test
  void sameSpecGivesSamePhantomAndAnotherSeedDoesNot() {
    ScanSpec spec = smallProstate(17).build();
    Phantom a = ScannedPhantomGenerator.generate(spec);
    Phantom b = ScannedPhantomGenerator.generate(spec);
    Phantom c = ScannedPhantomGenerator.generate(smallProstate(18).build());

    assertThat(b.scan().hu()).isEqualTo(a.scan().hu());
    assertThat(b.seeds()).hasSameSizeAs(a.seeds());
    for (int i = 0; i < a.seeds().size(); i++) {
      assertThat(b.seeds().get(i).centre()).isEqualTo(a.seeds().get(i).centre());
      assertThat(b.seeds().get(i).axis()).isEqualTo(a.seeds().get(i).axis());
    }
    assertThat(c.scan().hu()).isNotEqualTo(a.scan().hu());
  }

  @Test
  void waterReconstructsToZeroWithNoiseSetByDoseAndKernel() {
    double[] soft = waterStats(ReconKernel.SOFT, 1.0e5);
    double[] softLowDose = waterStats(ReconKernel.SOFT, 2.5e4);
    double[] sharp = waterStats(ReconKernel.SHARP, 1.0e5);

    for (double[] s : List.of(soft, softLowDose, sharp)) {
      assertThat(s[0]).as("mean HU of water").isBetween(-4.0, 4.0);
    }
    assertThat(soft[1]).as("soft-kernel noise at routine dose").isBetween(4.0, 20.0);
    assertThat(sharp[1]).as("sharp kernel is noisier").isGreaterThan(1.8 * soft[1]);
    // a quarter of the photons: about twice the noise
    assertThat(softLowDose[1] / soft[1]).isBetween(1.6, 2.4);
  }

  @Test
  void seedsAreFarAboveTissueAndDarkenTheLineBetweenThem() {
    Phantom p = ScannedPhantomGenerator.generate(seedPair(HuScale.EXTENDED));
    CtScan s = p.scan();

    assertThat(p.seeds()).hasSize(2);
    assertThat(maxHu(s, -10, 0, 2)).isGreaterThan(5000);
    assertThat(maxHu(s, 10, 0, 2)).isGreaterThan(5000);
    double between = meanHu(s, -5, 5, -0.6, 0.6);
    double aside = (meanHu(s, -5, 5, 8, 12) + meanHu(s, -5, 5, -12, -8)) / 2;
    assertThat(aside).as("water beside the seeds").isBetween(-60.0, 60.0);
    assertThat(between).as("photon starvation and beam hardening streak between the seeds")
        .isLessThan(aside - 200);
  }

  @Test
  void aThickSliceAveragesASeedAwayAndIsLessNoisy() {
    List<double[]> lying = List.of(new double[] {0, 0, 0, 1, 0, 0});
    CtScan thin = ScannedPhantomGenerator.generate(ScanSpec.builder(Site.WATER_PHANTOM, 4).fixedSeeds(lying)
        .slices(1, 1).image(160, 0.5).build()).scan();
    CtScan thick = ScannedPhantomGenerator.generate(ScanSpec.builder(Site.WATER_PHANTOM, 4).fixedSeeds(lying)
        .slices(1, 5).image(160, 0.5).build()).scan();

    assertThat(maxHu(thick, 0, 0, 2)).as("0.8 mm of metal spread over a 5 mm slice")
        .isLessThan((int) (0.5 * maxHu(thin, 0, 0, 2)));
    assertThat(stdHu(thick, 15, 30)).as("five times the photons").isLessThan(0.7 * stdHu(thin, 15, 30));
  }

  @Test
  void twelveBitScaleClampsAt3071() {
    Phantom clamped = ScannedPhantomGenerator.generate(seedPair(HuScale.CLAMPED_12BIT));
    short max = Short.MIN_VALUE;
    short min = Short.MAX_VALUE;
    for (short v : clamped.scan().hu()) {
      max = (short) Math.max(max, v);
      min = (short) Math.min(min, v);
    }
    assertThat(max).isEqualTo((short) 3071);
    assertThat(min).isGreaterThanOrEqualTo((short) -1024);
  }

  @Test
  void truthSeedsLieInsideTheVolumeUnlessCutByTheEdge() {
    Phantom p = ScannedPhantomGenerator.generate(smallProstate(5).cutAtEdge(true).build());
    CtScan s = p.scan();
    double low = s.origin()[2] - 1.5;
    double high = s.origin()[2] + (s.nz() - 1) * s.dz() + 1.5;

    assertThat(p.seeds()).isNotEmpty();
    assertThat(p.seeds()).anyMatch(Phantom.TruthSeed::cutByEdge);
    for (Phantom.TruthSeed t : p.seeds()) {
      double[] a = t.axis();
      assertThat(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(t.centre()[0]).isBetween(s.origin()[0], s.origin()[0] + (s.nx() - 1) * s.dx());
      assertThat(t.centre()[1]).isBetween(s.origin()[1], s.origin()[1] + (s.ny() - 1) * s.dy());
      double reach = SeedDesign.LENGTH_MM / 2 * Math.abs(a[2]) + 0.4;
      boolean metalOutside = t.centre()[2] - reach < low || t.centre()[2] + reach > high;
      if (!t.cutByEdge()) {
        assertThat(t.centre()[2]).isBetween(low, high);
        assertThat(metalOutside).as("an uncut seed's metal stays in the slab").isFalse();
      } else {
        assertThat(metalOutside).as("a cut seed's metal leaves the slab").isTrue();
      }
    }
  }

  @Test
  void aCaseWithoutSeedsHasOnlyDistractors() {
    Phantom p = ScannedPhantomGenerator.generate(smallProstate(8).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .metalDistractors(3, true).calcifiedDistractors(4, 0, 0).build());
    assertThat(p.seeds()).isEmpty();
    assertThat(p.distractors()).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void a256By40CaseGeneratesInBoundedTime() {
    ScanSpec spec = ScanSpec.builder(Site.PROSTATE, 3).seeds(SeedDesign.SILVER_ROD_6711, 60, 5.5)
        .slices(40, 2).image(256, 0.8).acquisition(480, 1.0e5, 0.02).build();
    // CPU time of this thread: the generator is single-threaded, and other load on the machine
    // must not make the bound flaky
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    Phantom p = ScannedPhantomGenerator.generate(spec);
    double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;

    assertThat(p.scan().hu()).hasSize(256 * 256 * 40);
    assertThat(seconds).as("generation CPU time (s)").isLessThan(25);
  }

  private static ScanSpec.Builder smallProstate(long seed) {
    return ScanSpec.builder(Site.PROSTATE, seed).seeds(SeedDesign.SILVER_ROD_6711, 30, 5.5).clusters(1)
        .slices(8, 3).image(128, 0.9).acquisition(240, 1.0e5, 0.02);
  }

  private static ScanSpec seedPair(HuScale scale) {
    return ScanSpec.builder(Site.WATER_PHANTOM, 9).fixedSeeds(SEED_PAIR).slices(3, 1).image(160, 0.5)
        .acquisition(480, 1.0e5, 0.02).reconstruction(ReconKernel.SOFT, scale).build();
  }

  /** Mean and standard deviation of HU within 30 mm of the centre of a water-cylinder slice. */
  private static double[] waterStats(ReconKernel kernel, double photons) {
    ScanSpec spec = ScanSpec.builder(Site.WATER_PHANTOM, 5).seeds(SeedDesign.SILVER_ROD_6711, 0, 5.5)
        .slices(1, 3).image(192, 0.8).acquisition(480, photons, 0.02)
        .reconstruction(kernel, HuScale.EXTENDED).build();
    CtScan s = ScannedPhantomGenerator.generate(spec).scan();
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int j = 0; j < s.ny(); j++) {
      for (int i = 0; i < s.nx(); i++) {
        double[] p = s.toPatient(i, j, 0);
        if (Math.hypot(p[0], p[1]) < 30) {
          double v = s.hu()[i + s.nx() * j];
          sum += v;
          sq += v * v;
          n++;
        }
      }
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(sq / n - mean * mean)};
  }

  private static double meanHu(CtScan s, double x0, double x1, double y0, double y1) {
    double sum = 0;
    int n = 0;
    int k = s.nz() / 2;
    for (int j = 0; j < s.ny(); j++) {
      for (int i = 0; i < s.nx(); i++) {
        double[] p = s.toPatient(i, j, k);
        if (p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1) {
          sum += s.hu()[i + s.nx() * (j + s.ny() * k)];
          n++;
        }
      }
    }
    return sum / n;
  }

  /** Standard deviation of HU in a ring between two radii (mm) around the centre of slice 0. */
  private static double stdHu(CtScan s, double r0, double r1) {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int j = 0; j < s.ny(); j++) {
      for (int i = 0; i < s.nx(); i++) {
        double[] p = s.toPatient(i, j, 0);
        double r = Math.hypot(p[0], p[1]);
        if (r >= r0 && r <= r1) {
          double v = s.hu()[i + s.nx() * j];
          sum += v;
          sq += v * v;
          n++;
        }
      }
    }
    double mean = sum / n;
    return Math.sqrt(sq / n - mean * mean);
  }

  private static int maxHu(CtScan s, double x, double y, double radius) {
    int max = Integer.MIN_VALUE;
    int k = s.nz() / 2;
    for (int j = 0; j < s.ny(); j++) {
      for (int i = 0; i < s.nx(); i++) {
        double[] p = s.toPatient(i, j, k);
        if (Math.hypot(p[0] - x, p[1] - y) <= radius) {
          max = Math.max(max, s.hu()[i + s.nx() * (j + s.ny() * k)]);
        }
      }
    }
    return max;
  }
}
