package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against the consensus tables: the data files hold the transcribed numbers (spot checks typed
 * here by hand, so an edited data file fails), the dose rate per S_K at every tabulated (r, theta)
 * with 0.5 <= r <= 7 cm equals Lambda * G_L ratio * g_L * F computed here with a separate geometry
 * formula, and the reference point gives Lambda.
 */
class ConsensusDataTest {

  static Stream<Arguments> publishedSpotValues() {
    return Stream.of(
        // model, Lambda, L, r for g, g_L(r), r for F, theta, F(r, theta)
        Arguments.of("oncoseed-6711", 0.965, 0.30, 2.0, 0.814, 0.5, 0.0, 0.333),
        Arguments.of("oncoseed-6711", 0.965, 0.30, 10.0, 0.0803, 5.0, 10.0, 0.645),
        Arguments.of("best-2301", 1.018, 0.40, 5.0, 0.427, 1.0, 0.0, 0.367),
        Arguments.of("best-2301", 1.018, 0.40, 0.1, 1.033, 7.0, 80.0, 1.005),
        Arguments.of("nasi-med3631", 1.036, 0.42, 3.0, 0.676, 0.25, 0.0, 1.038),
        Arguments.of("nasi-med3631", 1.036, 0.42, 7.0, 0.211, 10.0, 40.0, 0.914));
  }

  @ParameterizedTest
  @MethodSource("publishedSpotValues")
  void dataFileHoldsThePublishedValues(String resource, double lambda, double length, double gR, double g,
      double fR, double fTheta, double f) {
    SeedModel model = SeedModel.load(resource);
    assertThat(model.lambda()).isEqualTo(lambda);
    assertThat(model.activeLengthCm()).isEqualTo(length);
    assertThat(model.radialDose().value(gR)).isCloseTo(g, within(1e-12));
    assertThat(model.anisotropy().value(fR, fTheta)).isCloseTo(f, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"oncoseed-6711", "best-2301", "nasi-med3631"})
  void referencePointGivesTheDoseRateConstant(String resource) {
    SeedModel model = SeedModel.load(resource);
    double rate = model.doseRatePerSk(1.0, Math.PI / 2);
    assertThat(Math.abs(rate / model.lambda() - 1)).isLessThan(0.01);
    assertThat(rate).isCloseTo(model.lambda(), within(1e-9));
  }

  @ParameterizedTest
  @ValueSource(strings = {"oncoseed-6711", "best-2301", "nasi-med3631"})
  void reproducesTheTabulatedDoseRatesWithinTwoPercent(String resource) {
    SeedModel model = SeedModel.load(resource);
    double[] radii = model.anisotropy().radii();
    double[] angles = model.anisotropy().angles();
    double maxDev = 0;
    double sumDev = 0;
    int points = 0;
    for (int ri = 0; ri < radii.length; ri++) {
      double r = radii[ri];
      int gi = indexOf(model.radialDose().radii(), r);
      if (r < 0.5 || r > 7 || gi < 0) {
        continue;
      }
      for (int ai = 0; ai < angles.length; ai++) {
        double published = model.lambda() * geometryByCosineLaw(r, angles[ai], model.activeLengthCm())
            / geometryByCosineLaw(1.0, 90, model.activeLengthCm())
            * model.radialDose().values()[gi] * model.anisotropy().tabulated(ai, ri);
        double engine = model.doseRatePerSk(r, Math.toRadians(angles[ai]));
        double dev = Math.abs(engine / published - 1);
        assertThat(dev).as("%s at r=%s cm, theta=%s deg", resource, r, angles[ai]).isLessThan(0.02);
        maxDev = Math.max(maxDev, dev);
        sumDev += dev;
        points++;
      }
    }
    assertThat(points).isGreaterThanOrEqualTo(30);
    System.out.printf("VALIDATION %s: %d points (r 0.5-7 cm x theta 0-90 deg of the F table), max deviation %.2e,"
        + " mean %.2e%n", resource, points, maxDev, sumDev / points);
  }

  /**
   * G_L from the two end-point distances and the law of cosines (a different route from the engine's
   * arctangents); on the axis 1/(r^2 - L^2/4).
   */
  static double geometryByCosineLaw(double r, double thetaDeg, double length) {
    double z = r * Math.cos(Math.toRadians(thetaDeg));
    double y = r * Math.sin(Math.toRadians(thetaDeg));
    if (y < 1e-9) {
      return 1 / (r * r - length * length / 4);
    }
    double d1 = Math.hypot(z - length / 2, y);
    double d2 = Math.hypot(z + length / 2, y);
    double beta = Math.acos((d1 * d1 + d2 * d2 - length * length) / (2 * d1 * d2));
    return beta / (length * y);
  }

  private static int indexOf(double[] xs, double x) {
    for (int i = 0; i < xs.length; i++) {
      if (Math.abs(xs[i] - x) < 1e-9) {
        return i;
      }
    }
    return -1;
  }
}
