package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InterpolationTest {

  @ParameterizedTest
  @ValueSource(strings = {"oncoseed-6711", "best-2301", "nasi-med3631"})
  void radialDoseFunctionReproducesItsTableAndIsContinuous(String resource) {
    RadialDoseFunction g = SeedModel.load(resource).radialDose();
    double[] r = g.radii();
    double[] v = g.values();
    for (int i = 0; i < r.length; i++) {
      assertThat(g.value(r[i])).isCloseTo(v[i], within(1e-12));
      assertThat(g.value(r[i] - 1e-9)).isCloseTo(v[i], within(1e-6));
      assertThat(g.value(r[i] + 1e-9)).isCloseTo(v[i], within(1e-6));
    }
  }

  @Test
  void radialDoseFunctionIsLogLinearBetweenPoints() {
    RadialDoseFunction g = SeedModel.load("oncoseed-6711").radialDose();
    // halfway between 2 cm (0.814) and 3 cm (0.632): the geometric mean
    assertThat(g.value(2.5)).isCloseTo(Math.sqrt(0.814 * 0.632), within(1e-12));
  }

  @Test
  void radialDoseFunctionExtrapolatesLogLinearlyFromTheLastTwoPoints() {
    RadialDoseFunction g = SeedModel.load("oncoseed-6711").radialDose();
    assertThat(g.value(11)).isCloseTo(0.0803 * 0.0803 / 0.109, within(1e-12));
    assertThat(g.value(0.05)).isEqualTo(1.055);
  }

  @ParameterizedTest
  @ValueSource(strings = {"oncoseed-6711", "best-2301", "nasi-med3631"})
  void anisotropyFunctionReproducesItsNodesAndIsContinuous(String resource) {
    AnisotropyFunction f = SeedModel.load(resource).anisotropy();
    double[] radii = f.radii();
    double[] angles = f.angles();
    for (int a = 0; a < angles.length; a++) {
      for (int r = 0; r < radii.length; r++) {
        double node = f.tabulated(a, r);
        assertThat(f.value(radii[r], angles[a])).isCloseTo(node, within(1e-12));
        assertThat(f.value(radii[r] + 1e-7, angles[a] + 1e-7)).isCloseTo(node, within(1e-4));
        assertThat(f.value(radii[r] - 1e-7, angles[a] - 1e-7)).isCloseTo(node, within(1e-4));
      }
    }
  }

  @Test
  void anisotropyFunctionIsBilinearAndMirroredAboutTheTransversePlane() {
    AnisotropyFunction f = SeedModel.load("oncoseed-6711").anisotropy();
    double expected = (0.333 + 0.370 + 0.400 + 0.429) / 4; // r 0.5-1 cm, theta 0-5 deg
    assertThat(f.value(0.75, 2.5)).isCloseTo(expected, within(1e-12));
    assertThat(f.value(0.75, 177.5)).isCloseTo(expected, within(1e-12));
    assertThat(f.value(9, 0)).isEqualTo(0.550);
  }

  @Test
  void doseRateIsContinuousAcrossAnglesAndRadii() {
    SeedModel model = SeedModel.load("oncoseed-6711");
    for (double r = 0.5; r <= 7; r += 0.25) {
      double previous = model.doseRatePerSk(r, 0);
      for (double deg = 0.5; deg <= 180; deg += 0.5) {
        double rate = model.doseRatePerSk(r, Math.toRadians(deg));
        assertThat(Math.abs(rate / previous - 1)).as("r=%s theta=%s", r, deg).isLessThan(0.03);
        previous = rate;
      }
    }
  }

  @Test
  void pointSourceApproximationAveragesTheAnisotropy() {
    SeedModel model = SeedModel.load("oncoseed-6711");
    double phi = model.anisotropyFactor(1.0);
    assertThat(phi).isBetween(0.85, 1.0);
    assertThat(model.pointSourceDoseRatePerSk(1.0)).isCloseTo(model.lambda() * phi, within(1e-9));
    System.out.printf("VALIDATION oncoseed-6711 phi_an from F: r=0.5 %.3f, 1 %.3f, 2 %.3f, 5 %.3f%n",
        model.anisotropyFactor(0.5), phi, model.anisotropyFactor(2), model.anisotropyFactor(5));
  }

  @Test
  void rejectsMalformedTables() {
    assertThatThrownBy(() -> new RadialDoseFunction(new double[] {1, 0.5}, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
    assertThatThrownBy(() -> SeedModel.load("no-such-seed"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no seed model data file");
  }
}
