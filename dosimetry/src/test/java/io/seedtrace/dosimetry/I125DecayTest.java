package io.seedtrace.dosimetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class I125DecayTest {

  @Test
  void doseToInfinityEqualsNumericIntegrationOverALongWindow() {
    double rate = 7.0; // cGy/h at implant
    double halfLifeHours = I125Decay.HALF_LIFE_DAYS * 24;
    double end = 40 * halfLifeHours;
    int steps = 400_000;
    double h = end / steps;
    double sum = 0;
    for (int s = 0; s <= steps; s++) { // Simpson's rule
      double w = s == 0 || s == steps ? 1 : (s % 2 == 1 ? 4 : 2);
      sum += w * rate * Math.pow(0.5, s * h / halfLifeHours);
    }
    double integratedGy = sum * h / 3 / 100;
    assertThat(I125Decay.totalDoseGy(rate)).isCloseTo(integratedGy, within(integratedGy * 1e-6));
    assertThat(I125Decay.doseInWindowGy(rate, 0, end)).isCloseTo(integratedGy, within(integratedGy * 1e-6));
  }

  @Test
  void meanLifeIsHalfLifeOverLn2() {
    assertThat(I125Decay.MEAN_LIFE_HOURS).isCloseTo(2056.71, within(0.01));
    // 7 cGy/h initial: 7 * 2056.7 h = 144 Gy, a typical monotherapy prescription
    assertThat(I125Decay.totalDoseGy(7.0)).isCloseTo(143.97, within(0.01));
  }

  @Test
  void windowsAddUpToTheTotal() {
    double first = I125Decay.doseInWindowGy(5, 0, 24 * 30);
    double rest = I125Decay.doseInWindowGy(5, 24 * 30, Double.POSITIVE_INFINITY);
    assertThat(first + rest).isCloseTo(I125Decay.totalDoseGy(5), within(1e-9));
    assertThatThrownBy(() -> I125Decay.doseInWindowGy(5, 10, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void strengthHalvesAfterOneHalfLifeAndActivityConvertsWithTheTg43Factor() {
    Instant calibration = Instant.parse("2026-01-01T00:00:00Z");
    Instant implant = calibration.plus(Duration.ofMinutes(Math.round(I125Decay.HALF_LIFE_DAYS * 24 * 60)));
    assertThat(I125Decay.decayCorrected(0.6, calibration, implant)).isCloseTo(0.3, within(1e-6));
    assertThat(I125Decay.airKermaStrengthFromApparentActivity(0.4, I125Decay.U_PER_MCI_TG43))
        .isCloseTo(0.508, within(1e-12));
  }
}
