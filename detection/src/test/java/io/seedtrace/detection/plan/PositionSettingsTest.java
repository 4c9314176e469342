package io.seedtrace.detection.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionSettingsTest {

  @Test
  void defaultsAreTheDocumentedValues() {
    assertThat(PositionSettings.defaults()).isEqualTo(new PositionSettings(5.0, 0.8, 15, 0.8));
  }

  @Test
  void refusesMeaninglessValues() {
    assertThatThrownBy(() -> new PositionSettings(0, 0.8, 15, 0.8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PositionSettings(5, 1.5, 15, 0.8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PositionSettings(5, 0.8, -1, 0.8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PositionSettings(5, 0.8, 15, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
