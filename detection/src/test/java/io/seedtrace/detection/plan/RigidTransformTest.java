package io.seedtrace.detection.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RigidTransformTest {

  private static final double[] QUARTER_TURN_ABOUT_Z_THEN_SHIFT = {
      0, -1, 0, 10,
      1, 0, 0, 20,
      0, 0, 1, 30,
      0, 0, 0, 1};

  @Test
  void identityLeavesPointsWhereTheyAre() {
    assertThat(RigidTransform.identity().apply(new double[] {1, -2, 3})).containsExactly(1, -2, 3);
    assertThat(RigidTransform.identity().rotationDegrees()).isZero();
  }

  @Test
  void readsADicomMatrixRowMajorWithTheTranslationInTheLastColumn() {
    RigidTransform t = RigidTransform.fromDicomMatrix(QUARTER_TURN_ABOUT_Z_THEN_SHIFT);
    assertThat(t.apply(new double[] {1, 0, 0})).containsExactly(new double[] {10, 21, 30}, within(1e-12));
    assertThat(t.rotationDegrees()).isCloseTo(90, within(1e-9));
    assertThat(t.toDicomMatrix()).containsExactly(QUARTER_TURN_ABOUT_Z_THEN_SHIFT, within(1e-12));
  }

  @Test
  void acceptsTheRoundingOfDecimalStringsAndSnapsToAnExactRotation() {
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    double[] rounded = {
        round4(c), round4(-s), 0, 1.5,
        round4(s), round4(c), 0, -2,
        0, 0, 1, 0,
        0, 0, 0, 1};
    RigidTransform t = RigidTransform.fromDicomMatrix(rounded);
    assertThat(t.rotationDegrees()).isCloseTo(10, within(0.01));
    assertThat(Rotations.orthonormalityError(t.rotation())).isLessThan(1e-12);
  }

  @Test
  void rejectsAScalingMatrix() {
    double[] scaled = {1.1, 0, 0, 0, 0, 1.1, 0, 0, 0, 0, 1.1, 0, 0, 0, 0, 1};
    assertThatThrownBy(() -> RigidTransform.fromDicomMatrix(scaled))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not rigid");
  }

  @Test
  void rejectsAShearAMirrorAProjectiveRowAndAWrongLength() {
    double[] shear = {1, 0.01, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    double[] mirror = {-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    double[] projective = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.1, 0, 0, 1};
    assertThatThrownBy(() -> RigidTransform.fromDicomMatrix(shear)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RigidTransform.fromDicomMatrix(mirror)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mirror");
    assertThatThrownBy(() -> RigidTransform.fromDicomMatrix(projective)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("last row");
    assertThatThrownBy(() -> RigidTransform.fromDicomMatrix(new double[12]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void composeAppliesTheArgumentFirst() {
    RigidTransform turn = Plans.motion(new double[] {0, 0, 1}, 90, new double[3]);
    RigidTransform shift = RigidTransform.ofTranslation(new double[] {5, 0, 0});
    double[] p = {1, 0, 0};
    assertThat(turn.compose(shift).apply(p)).containsExactly(turn.apply(shift.apply(p)), within(1e-12));
    assertThat(turn.compose(shift).apply(p)).containsExactly(new double[] {0, 6, 0}, within(1e-12));
  }

  @Test
  void inverseUndoesTheMotion() {
    Random rnd = new Random(3);
    for (int i = 0; i < 20; i++) {
      RigidTransform t = Plans.randomMotion(rnd, 180, 100);
      double[] p = {rnd.nextGaussian() * 50, rnd.nextGaussian() * 50, rnd.nextGaussian() * 50};
      assertThat(t.inverse().apply(t.apply(p))).containsExactly(p, within(1e-9));
      assertThat(t.compose(t.inverse()).rotationDegrees()).isLessThan(1e-5);
    }
  }

  @Test
  void cannotBeChangedThroughItsArrays() {
    double[] r = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    double[] tr = {1, 2, 3};
    RigidTransform t = new RigidTransform(r, tr);
    r[0] = 5;
    tr[0] = 9;
    t.translation()[1] = 7;
    assertThat(t.apply(new double[3])).containsExactly(1, 2, 3);
    assertThat(t).isEqualTo(RigidTransform.ofTranslation(new double[] {1, 2, 3}));
  }

  @Test
  void refusesAMatrixThatIsNotARotation() {
    assertThatThrownBy(() -> new RigidTransform(new double[] {2, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
