package io.seedtrace.server.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.server.console.report.SeedProjections.Plane;
import io.seedtrace.server.verification.SeedFigures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SeedProjectionsTest {

  /** 100 x 80 x 40 voxels of 1 x 1 x 2.5 mm, axial slices running towards the head, origin at 0. */
  private static ImageVolume volumeWithABrightSpotAt(int i, int j, int k) {
    short[] voxels = new short[100 * 80 * 40];
    Arrays.fill(voxels, (short) -1000);
    voxels[i + 100 * (j + 80 * k)] = 3000;
    return ImageVolume.ct(100, 80, 40, 1, 1, 2.5, new double[] {0, 0, 0}, new double[] {1, 0, 0},
        new double[] {0, 1, 0}, new double[] {0, 0, 1}, voxels, "1.2", "1.2.3", "1.2.3.4");
  }

  @Test
  void theProjectionsOfABrightSpotAreItsMaximumAlongEachAxis() {
    short[][] mips = SeedProjections.project(volumeWithABrightSpotAt(30, 20, 10));
    assertThat(mips[Plane.AXIAL.ordinal()][30 + 100 * 20]).isEqualTo((short) 3000);
    assertThat(mips[Plane.CORONAL.ordinal()][30 + 100 * 10]).isEqualTo((short) 3000);
    assertThat(mips[Plane.SAGITTAL.ordinal()][20 + 80 * 10]).isEqualTo((short) 3000);
    assertThat(mips[Plane.AXIAL.ordinal()][31 + 100 * 20]).isEqualTo((short) -1000);
  }

  @Test
  void eachMarkIsDrawnWhereItsSeedIsInEveryPlaneWithTheHeadAtTheTop() throws IOException {
    double[] matched = {30, 20, 25};
    double[] missing = {70, 60, 75};
    double[] extra = {50, 40, 50};
    SeedFigures figures = new SeedFigures(List.of(), List.of(
        new SeedFigures.DetectedSeed(matched, 0.9, 1, 1), new SeedFigures.DetectedSeed(extra, 0.8, 1, null)),
        List.of(new SeedFigures.PlannedSeed(matched, 1, 0.4, false), new SeedFigures.PlannedSeed(missing, null, null, false)),
        List.of(), 2, 2, 0, 2.0);
    Map<Plane, byte[]> pngs = SeedProjections.draw(volumeWithABrightSpotAt(30, 20, 10), figures);
    // the longer side is 420 px: axial 100 x 80 mm -> 4.2 px/mm; coronal and sagittal 100 mm high (40 x 2.5)
    BufferedImage axial = read(pngs.get(Plane.AXIAL));
    assertThat(axial.getWidth()).isEqualTo(420);
    assertThat(axial.getHeight()).isEqualTo(336);
    assertThat(colourNear(axial, 4.2 * 30.5, 4.2 * 20.5, SeedProjections.MATCHED)).isTrue();
    assertThat(colourNear(axial, 4.2 * 70.5, 4.2 * 60.5, SeedProjections.MISSING)).isTrue();
    assertThat(colourNear(axial, 4.2 * 50.5, 4.2 * 40.5, SeedProjections.EXTRA)).isTrue();
    assertThat(colourNear(axial, 4.2 * 30.5, 4.2 * 20.5, SeedProjections.MISSING)).isFalse();
    // coronal: x across, z up: slice k = z / 2.5 counted from the bottom of 40 rows
    BufferedImage coronal = read(pngs.get(Plane.CORONAL));
    assertThat(coronal.getHeight()).isEqualTo(420);
    assertThat(colourNear(coronal, 4.2 * 30.5, 10.5 * (39 - 10 + 0.5), SeedProjections.MATCHED)).isTrue();
    assertThat(colourNear(coronal, 4.2 * 70.5, 10.5 * (39 - 30 + 0.5), SeedProjections.MISSING)).isTrue();
    // sagittal: y across, z up
    BufferedImage sagittal = read(pngs.get(Plane.SAGITTAL));
    assertThat(colourNear(sagittal, 4.2 * 60.5, 10.5 * (39 - 30 + 0.5), SeedProjections.MISSING)).isTrue();
    assertThat(colourNear(sagittal, 4.2 * 40.5, 10.5 * (39 - 20 + 0.5), SeedProjections.EXTRA)).isTrue();
  }

  private static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /** Whether the colour is drawn within 12 px of the point (marks are 7 px from their centre). */
  private static boolean colourNear(BufferedImage image, double x, double y, java.awt.Color colour) {
    for (int py = (int) y - 12; py <= (int) y + 12; py++) {
      for (int px = (int) x - 12; px <= (int) x + 12; px++) {
        if (px >= 0 && py >= 0 && px < image.getWidth() && py < image.getHeight()
            && (image.getRGB(px, py) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
          return true;
        }
      }
    }
    return false;
  }
}
