package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a point (a seed) lies inside an outlined structure, and how far from its outline. */
class StructureContainsTest {

  /** A ring: outer circle of radius 20 mm with a hole of radius 5 mm, on slices z = -10 .. 10 every 2.5 mm. */
  private static Structure ring() {
    List<Contour> contours = new ArrayList<>();
    for (double z = -10; z <= 10; z += 2.5) {
      contours.add(Shapes.circle(0, 0, z, 20, 64));
      contours.add(Shapes.circle(0, 0, z, 5, 64));
    }
    return new Structure("Prostate", contours);
  }

  @Test
  void aPointIsInsideWithinTheOutlineAndTheSlabsAndOutsideInAHole() {
    Structure s = ring();
    assertThat(s.contains(12, 0, 1)).isTrue();
    assertThat(s.contains(0, 12, 11.2)).as("within the last slab, half a spacing beyond z = 10").isTrue();
    assertThat(s.contains(0, 12, 11.4)).as("beyond the last slab").isFalse();
    assertThat(s.contains(2, 1, 0)).as("in the hole").isFalse();
    assertThat(s.contains(21, 0, 0)).isFalse();
  }

  @Test
  void measuresHowFarAnOutsidePointIsFromTheOutlinedVolume() {
    Structure s = ring();
    assertThat(s.distanceFromOutsideMm(26, 0, 0)).as("beside it").isCloseTo(6, offset(0.05));
    assertThat(s.distanceFromOutsideMm(26, 0, 5.6)).as("beside it, between two slices").isCloseTo(6, offset(0.05));
    assertThat(s.distanceFromOutsideMm(10, 0, 14)).as("below the last slab, which ends at 11.25").isCloseTo(2.75, offset(0.01));
    assertThat(s.distanceFromOutsideMm(23, 4, 14)).isCloseTo(Math.hypot(Math.hypot(23, 4) - 20, 2.75), offset(0.05));
    assertThat(s.distanceFromOutsideMm(12, 0, 0)).as("inside").isZero();
  }
}
