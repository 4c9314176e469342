package io.seedtrace.detection.phantom.scanned;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScannedSuiteTest {

  @Test
  void everySetHasTheSameCaseTypesWithOtherRandomSeeds() {
    List<ScannedSuite.Case> one = ScannedSuite.cases(1);
    List<ScannedSuite.Case> two = ScannedSuite.cases(2);

    assertThat(one).hasSizeBetween(20, 24);
    assertThat(one.stream().map(ScannedSuite.Case::name).distinct().count()).isEqualTo(one.size());
    assertThat(two.stream().map(ScannedSuite.Case::name).toList())
        .isEqualTo(one.stream().map(ScannedSuite.Case::name).toList());
    for (int i = 0; i < one.size(); i++) {
      ScanSpec a = one.get(i).spec();
      ScanSpec b = two.get(i).spec();
      assertThat(b.randomSeed()).isNotEqualTo(a.randomSeed());
      assertThat(b.site()).isEqualTo(a.site());
      assertThat(b.seedCount()).isEqualTo(a.seedCount());
      assertThat(b.sliceThicknessMm()).isEqualTo(a.sliceThicknessMm());
      assertThat(b.kernel()).isEqualTo(a.kernel());
    }
  }

  @Test
  void theSetSpansTheRequiredVariety() {
    List<ScanSpec> specs = ScannedSuite.cases(7).stream().map(ScannedSuite.Case::spec).toList();

    assertThat(specs.stream().filter(s -> s.seedCount() == 0).count()).isGreaterThanOrEqualTo(3);
    assertThat(specs.stream().map(ScanSpec::site).collect(Collectors.toSet()))
        .contains(Site.PROSTATE, Site.LUNG);
    assertThat(specs.stream().map(ScanSpec::sliceThicknessMm).collect(Collectors.toSet()))
        .contains(1.0, 2.0, 3.0, 5.0);
    assertThat(specs.stream().map(ScanSpec::kernel).collect(Collectors.toSet()))
        .contains(ReconKernel.SOFT, ReconKernel.SHARP);
    assertThat(specs.stream().map(ScanSpec::huScale).collect(Collectors.toSet()))
        .isEqualTo(Set.of(HuScale.EXTENDED, HuScale.CLAMPED_12BIT));
    assertThat(specs.stream().filter(s -> s.seedCount() > 0).map(ScanSpec::seedDesign)
        .collect(Collectors.toSet())).hasSizeGreaterThanOrEqualTo(2);
    assertThat(specs).anyMatch(s -> s.motionMm() > 0).anyMatch(ScanSpec::cutAtEdge)
        .anyMatch(ScanSpec::migratedSeed).anyMatch(ScanSpec::nearBone).anyMatch(s -> s.clusters() >= 4);
    assertThat(specs).allMatch(s -> s.matrix() >= 192 && s.matrix() <= 320)
        .allMatch(s -> s.pixelMm() >= 0.6 && s.pixelMm() <= 1.0)
        .allMatch(s -> s.seedCount() == 0 || (s.seedCount() >= 20 && s.seedCount() <= 100));
  }
}
