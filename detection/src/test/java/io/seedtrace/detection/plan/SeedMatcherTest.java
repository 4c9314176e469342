package io.seedtrace.detection.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedMatcherTest {

  private final SeedMatcher matcher = new SeedMatcher();

  @Test
  void pairsEachPointWithItsCounterpart() {
    List<double[]> planned = List.of(p(0, 0, 0), p(10, 0, 0), p(0, 10, 0));
    List<double[]> detected = List.of(p(0, 10.5, 0), p(0.3, 0, 0), p(10, 0, -1));

    SeedMatching m = matcher.match(planned, detected);

    assertThat(m.pairs()).extracting(SeedPair::planned, SeedPair::detected)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 1), org.assertj.core.groups.Tuple.tuple(1, 2),
            org.assertj.core.groups.Tuple.tuple(2, 0));
    assertThat(m.pairs().get(0).displacement()).containsExactly(new double[] {0.3, 0, 0}, within(1e-12));
    assertThat(m.pairs().get(1).distanceMm()).isCloseTo(1, within(1e-12));
    assertThat(m.unmatchedPlanned()).isEmpty();
    assertThat(m.unmatchedDetected()).isEmpty();
  }

  @Test
  void minimisesTheTotalDistanceWhereClosestFirstWouldNot() {
    // closest first would take planned 1 - detected 0 (1 mm) and leave planned 0 - detected 1 (5 mm)
    List<double[]> planned = List.of(p(0, 0, 0), p(3, 0, 0));
    List<double[]> detected = List.of(p(2, 0, 0), p(5, 0, 0));

    SeedMatching m = matcher.match(planned, detected);

    assertThat(m.pairs()).extracting(SeedPair::detected).containsExactly(0, 1);
    assertThat(m.pairs()).extracting(SeedPair::distanceMm).containsExactly(2.0, 2.0);
  }

  @Test
  void aPairFartherThanTheLimitBecomesOneMissingAndOneExtra() {
    List<double[]> planned = List.of(p(0, 0, 0), p(50, 0, 0));
    List<double[]> detected = List.of(p(0.5, 0, 0), p(50, 16, 0));

    SeedMatching m = matcher.match(planned, detected);

    assertThat(m.pairs()).extracting(SeedPair::planned).containsExactly(0);
    assertThat(m.unmatchedPlanned()).containsExactly(1);
    assertThat(m.unmatchedDetected()).containsExactly(1);
  }

  @Test
  void aPairWithinTheLimitIsKept() {
    SeedMatching m = matcher.match(List.of(p(0, 0, 0)), List.of(p(0, 14, 0)));
    assertThat(m.pairs()).singleElement().satisfies(pair -> assertThat(pair.distanceMm()).isEqualTo(14));
  }

  @Test
  void reportsSurplusOnEitherSide() {
    List<double[]> planned = List.of(p(0, 0, 0), p(10, 0, 0), p(20, 0, 0));
    List<double[]> detected = List.of(p(20.2, 0, 0), p(0.1, 0, 0));

    SeedMatching m = matcher.match(planned, detected);
    assertThat(m.unmatchedPlanned()).containsExactly(1);
    assertThat(m.unmatchedDetected()).isEmpty();

    SeedMatching reverse = matcher.match(detected, planned);
    assertThat(reverse.unmatchedPlanned()).isEmpty();
    assertThat(reverse.unmatchedDetected()).containsExactly(1);
  }

  @Test
  void handlesEmptySides() {
    assertThat(matcher.match(List.of(), List.of()).pairs()).isEmpty();
    SeedMatching m = matcher.match(List.of(p(1, 1, 1)), List.of());
    assertThat(m.unmatchedPlanned()).containsExactly(0);
    assertThat(matcher.match(List.of(), List.of(p(1, 1, 1), p(2, 2, 2))).unmatchedDetected()).containsExactly(0, 1);
  }

  private static double[] p(double x, double y, double z) {
    return new double[] {x, y, z};
  }
}
