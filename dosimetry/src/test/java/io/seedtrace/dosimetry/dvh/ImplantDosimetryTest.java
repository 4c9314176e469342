package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.Seed;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplantDosimetryTest {

  private static final ImplantDosimetry DEFAULTS = new ImplantDosimetry(ImplantDosimetry.Settings.defaults());

  private static ImplantDosimetry withLimits(DoseLimits limits) {
    ImplantDosimetry.Settings d = ImplantDosimetry.Settings.defaults();
    return new ImplantDosimetry(new ImplantDosimetry.Settings(d.gridSpacingMm(), d.marginMm(), d.names(), limits,
        d.maxVoxels(), d.maxVertices()));
  }

  @Test
  void computesTheTargetAndOrganMetricsOfAnImplantOnItsStructures() {
    ImplantDosimetry.Result r = DEFAULTS.evaluate(GeneratedImplant.seeds(0.5), GeneratedImplant.structures(5));
    DoseMetrics m = r.metrics();

    assertThat(r.dvhs()).containsOnlyKeys(StructureRole.TARGET, StructureRole.URETHRA, StructureRole.RECTUM);
    assertThat(m.value("dose-target-volume").orElseThrow()).isCloseTo(33.5, within(0.7));
    double d90 = m.value("dose-d90").orElseThrow();
    assertThat(d90).isBetween(r.dvhs().get(StructureRole.TARGET).minGy(), r.dvhs().get(StructureRole.TARGET).maxGy());
    assertThat(m.value("dose-v100").orElseThrow()).isBetween(0.0, 100.0)
        .isGreaterThanOrEqualTo(m.value("dose-v150").orElseThrow());
    assertThat(m.value("dose-v150").orElseThrow()).isGreaterThanOrEqualTo(m.value("dose-v200").orElseThrow());
    assertThat(m.value("dose-urethra-d10").orElseThrow()).isGreaterThanOrEqualTo(
        m.value("dose-urethra-d30").orElseThrow());
    assertThat(m.value("dose-rectum-d2cc")).isPresent();
    assertThat(m.value("dose-rectum-v100")).isPresent();
    assertThat(r.pointSourceSeeds()).isZero();
    // the prostate is reported with the name it was delineated with
    assertThat(m.metrics()).filteredOn(x -> x.code().equals("dose-d90")).extracting(DoseMetric::structure)
        .containsExactly("Prostate");
  }

  @Test
  void doseScalesWithTheSeedsStrength() {
    double d90 = DEFAULTS.evaluate(GeneratedImplant.seeds(0.4), GeneratedImplant.structures(5)).metrics()
        .value("dose-d90").orElseThrow();
    double twice = DEFAULTS.evaluate(GeneratedImplant.seeds(0.8), GeneratedImplant.structures(5)).metrics()
        .value("dose-d90").orElseThrow();
    assertThat(twice).isCloseTo(2 * d90, within(1e-4 * d90));
  }

  @Test
  void aHalfMillimetreGridAgreesWithTheMillimetreGrid() {
    ImplantDosimetry fine = new ImplantDosimetry(ImplantDosimetry.Settings.defaults().withSpacing(0.5));
    DoseMetrics coarse = DEFAULTS.evaluate(GeneratedImplant.seeds(0.5), GeneratedImplant.structures(5)).metrics();
    DoseMetrics half = fine.evaluate(GeneratedImplant.seeds(0.5), GeneratedImplant.structures(5)).metrics();
    for (String code : List.of("dose-d90", "dose-v100", "dose-urethra-d10", "dose-rectum-d2cc")) {
      double a = coarse.value(code).orElseThrow();
      assertThat(half.value(code).orElseThrow()).as(code).isCloseTo(a, within(0.03 * a));
    }
  }

  @Test
  void aD90BelowTheConfiguredFractionOfThePrescriptionIsAnUnderdose() {
    List<Seed> seeds = GeneratedImplant.seeds(0.5);
    double d90 = DEFAULTS.evaluate(seeds, GeneratedImplant.structures(5)).metrics().value("dose-d90").orElseThrow();
    DoseLimits met = new DoseLimits(d90 / 0.95, 0.9, 100, 100, 1e6, 1e6);
    DoseLimits missed = new DoseLimits(d90 / 0.85, 0.9, 100, 100, 1e6, 1e6);

    assertThat(withLimits(met).evaluate(seeds, GeneratedImplant.structures(5)).metrics().findings()).isEmpty();
    assertThat(withLimits(missed).evaluate(seeds, GeneratedImplant.structures(5)).metrics().findings())
        .singleElement().satisfies(f -> {
          assertThat(f.kind()).isEqualTo(DoseFinding.UNDERDOSE);
          assertThat(f.detail()).contains("Prostate D90").contains("85 %");
        });
  }

  @Test
  void aRectumAgainstTheSeedsExceedsItsLimitAndOneFarAwayDoesNot() {
    List<Seed> seeds = GeneratedImplant.seeds(0.5);
    DoseLimits lenient = new DoseLimits(145, 0.01, 100, 100, 145, 1.0);
    assertThat(withLimits(lenient).evaluate(seeds, GeneratedImplant.structures(8)).metrics().findings()).isEmpty();
    // rectum wall at 1 mm behind the posterior seeds at y = 15
    assertThat(withLimits(lenient).evaluate(seeds, GeneratedImplant.structures(-4)).metrics().findings())
        .extracting(DoseFinding::kind).contains(DoseFinding.ORGAN_LIMIT);
  }

  @Test
  void seedsWithoutAxisAreCountedAsPointSources() {
    List<Seed> seeds = GeneratedImplant.seeds(0.5).stream().map(s -> Seed.withoutAxis(s.model(), s.centreMm(),
        s.airKermaStrengthU())).toList();
    assertThat(DEFAULTS.evaluate(seeds, GeneratedImplant.structures(5)).pointSourceSeeds()).isEqualTo(seeds.size());
  }

  @Test
  void refusesAnImplantWithoutTargetOrWithAGridBeyondTheLimit() {
    List<Seed> seeds = GeneratedImplant.seeds(0.5);
    assertThatThrownBy(() -> DEFAULTS.evaluate(seeds, List.of(Shapes.box("Bladder", 0, 0, 10, 10, 0, 10, 2))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no target").hasMessageContaining("Bladder");
    Structure huge = Shapes.box("PTV", -5000, -5000, 5000, 5000, -100, 100, 50);
    assertThatThrownBy(() -> DEFAULTS.evaluate(seeds, List.of(huge)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> DEFAULTS.evaluate(List.of(), GeneratedImplant.structures(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no seeds");
  }

  @Test
  void theGridCoversTheTargetWithItsMargin() {
    ImplantDosimetry.Result r = DEFAULTS.evaluate(List.of(new Seed(GeneratedImplant.ONCOSEED, new Point3(0, 0, 0),
        new Point3(0, 0, 1), 0.5)), GeneratedImplant.structures(5));
    double[] b = GeneratedImplant.structures(5).get(0).bounds();
    io.seedtrace.dosimetry.DoseGrid g = r.doseGy();
    double[] low = {g.originMm().x() - 0.5, g.originMm().y() - 0.5, g.originMm().z() - 0.5};
    int[] n = {g.nx(), g.ny(), g.nz()};
    for (int d = 0; d < 3; d++) {
      // the box of the target plus 10 mm, widened to whole voxels on a 1 mm lattice
      assertThat(low[d]).isBetween(b[d] - 11, b[d] - 10).isEqualTo(Math.rint(low[d]));
      assertThat(low[d] + n[d]).isBetween(b[d + 3] + 10, b[d + 3] + 11);
    }
  }
}
