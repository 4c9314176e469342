package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.Point3;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoxelFractionsTest {

  /** Voxel centres on integers from -5 to 5 mm, edges on half-integers. */
  private static final DoseGrid GRID = new DoseGrid(new Point3(-5, -5, -5), 1.0, 11, 11, 11);

  private static int index(int x, int y, int z) {
    return ((z + 5) * 11 + (y + 5)) * 11 + (x + 5);
  }

  @Test
  void aCubeWhoseFacesCutVoxelsInHalfGivesHalvesQuartersAndEighths() {
    // faces at x, y = +-2 (voxel centres) and slabs of slices -1.5..1.5 reaching z = +-2
    Structure cube = Shapes.box("cube", -2, -2, 2, 2, -1.5, 1.5, 1.0);
    VoxelFractions f = VoxelFractions.of(cube, GRID);

    assertThat(f.volumeCc()).isCloseTo(0.064, within(1e-9));
    assertThat(f.fractionAt(index(0, 0, 0))).isEqualTo(1f);
    assertThat(f.fractionAt(index(2, 0, 0))).isEqualTo(0.5f);
    assertThat(f.fractionAt(index(0, 0, 2))).isEqualTo(0.5f);
    assertThat(f.fractionAt(index(2, -2, 0))).isEqualTo(0.25f);
    assertThat(f.fractionAt(index(2, 2, -2))).isEqualTo(0.125f);
    assertThat(f.fractionAt(index(3, 0, 0))).isZero();
    assertThat(f.voxelCount()).isEqualTo(5 * 5 * 5);
    assertThat(f.clipped()).isFalse();
  }

  @Test
  void anOffCentreSquareCoversEachVoxelByItsExactOverlap() {
    // x from -0.3 to 1.2: voxel 0 covers 0.8 (of -0.5..0.5), voxel 1 covers 0.7; y from -0.5 to 0.5 exactly
    Structure slab = new Structure("slab", List.of(Shapes.rectangle(-0.3, -0.5, 1.2, 0.5, 0)));
    VoxelFractions f = VoxelFractions.of(slab, GRID);

    assertThat(f.fractionAt(index(0, 0, 0))).isCloseTo(0.8f, within(1e-6f));
    assertThat(f.fractionAt(index(1, 0, 0))).isCloseTo(0.7f, within(1e-6f));
    assertThat(f.voxelCount()).isEqualTo(2);
    assertThat(f.volumeCc()).isCloseTo(1.5e-3, within(1e-9));
  }

  @Test
  void aContourInsideAnotherOnTheSameSliceIsAHole() {
    Structure ring = new Structure("ring", List.of(Shapes.rectangle(-3.5, -3.5, 3.5, 3.5, 0),
        Shapes.rectangle(-1.5, -1.5, 1.5, 1.5, 0)));
    VoxelFractions f = VoxelFractions.of(ring, GRID);

    assertThat(f.volumeCc()).isCloseTo((49 - 9) * 1e-3, within(1e-9));
    assertThat(f.fractionAt(index(0, 0, 0))).isZero();
    assertThat(f.fractionAt(index(3, 0, 0))).isEqualTo(1f);
  }

  @Test
  void aSphereIsMeasuredWithinTwoPerMilleAndWhatLeavesTheGridIsSaidToBeClipped() {
    Structure sphere = Shapes.sphere("ball", 0, 0, 0, 4, 1.0, 96);
    VoxelFractions inside = VoxelFractions.of(sphere, GRID);
    // the contours describe a stack of 1 mm discs on slices -3..3 (radius^2 = 16 - z^2): 84 pi mm^3
    double stack = 84 * Math.PI / 1000;
    assertThat(inside.volumeCc()).isCloseTo(stack, within(0.002 * stack));
    assertThat(inside.clipped()).isFalse();

    VoxelFractions cut = VoxelFractions.of(Shapes.sphere("big", 5, 0, 0, 4, 1.0, 96), GRID);
    assertThat(cut.clipped()).isTrue();
    assertThat(cut.volumeCc()).isLessThan(inside.volumeCc() * 0.7);
  }
}
