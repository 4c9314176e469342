package io.seedtrace.server.console.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.GridDoseCalculator;
import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.PointDose;
import io.seedtrace.dosimetry.Seed;
import io.seedtrace.dosimetry.SeedModel;
import io.seedtrace.dosimetry.dvh.Contour;
import io.seedtrace.dosimetry.dvh.Structure;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class IsodoseSlicesTest {

  private static final SeedModel ONCOSEED = SeedModel.load("oncoseed-6711");
  /** Two seeds 16 mm apart on the x axis, along z. */
  private static final List<Seed> TWO_SEEDS = List.of(
      new Seed(ONCOSEED, new Point3(-8, 0, 0), new Point3(0, 0, 1), 0.5),
      new Seed(ONCOSEED, new Point3(8, 0, 0), new Point3(0, 0, 1), 0.5));
  /** The prescription: the two seeds' dose, summed directly, 20 mm from their centre on the x axis. */
  private static final double PRESCRIPTION = I125Decay.totalDoseGy(PointDose.doseRate(TWO_SEEDS, new Point3(20, 0, 0)));

  @Test
  void theHundredPercentLineCrossesTheSeedAxisWhereTheTwoSeedsGiveThePrescription() throws IOException {
    ImageVolume ct = ct(1.0, new double[] {0, 0, 1});
    List<IsodoseSlices.Slice> slices = IsodoseSlices.draw(ct, dose(), PRESCRIPTION, disc(12));
    assertThat(slices).extracting(IsodoseSlices.Slice::caption)
        .containsExactly("z = -10.0 mm (-10 mm)", "z = 0.0 mm (target centre)", "z = 10.0 mm (+10 mm)");
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
    java.nio.file.Files.write(java.nio.file.Path.of("target/isodose-two-seeds.png"), slices.get(1).png());
    BufferedImage centre = ImageIO.read(new ByteArrayInputStream(slices.get(1).png()));
    // the picture covers the CT columns under the dose grid (x and y from -41 to 41 mm), 360 pixels
    assertThat(near(centre, px(20), px(0), IsodoseSlices.COLOURS[1])).as("100 %% at x = +20 mm").isTrue();
    assertThat(near(centre, px(-20), px(0), IsodoseSlices.COLOURS[1])).as("100 %% at x = -20 mm").isTrue();
    assertThat(near(centre, px(0), px(0), IsodoseSlices.COLOURS[1])).as("no 100 %% line between the seeds").isFalse();
    assertThat(near(centre, px(0), px(-12), IsodoseSlices.TARGET)).as("the target contour").isTrue();
    assertThat(centre.getHeight()).as("picture and legend").isEqualTo(360 + 24);
  }

  @Test
  void aTiltedCtIsRefusedWithAReason() {
    ImageVolume tilted = ct(1.0, new double[] {0, Math.sin(0.3), Math.cos(0.3)});
    assertThatThrownBy(() -> IsodoseSlices.draw(tilted, dose(), PRESCRIPTION, disc(12)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not axial");
  }

  /** Time to draw the three slices of a prostate-sized implant on a 512 x 512 CT: median and range of 15 runs. */
  @Test
  void drawingTheSlicesOfAProstateSizedImplantIsQuick() throws IOException {
    io.seedtrace.routes.verification.DoseOutcome dose = io.seedtrace.server.verification.ImplantDoses.dose("1.2", 145);
    short[] voxels = new short[512 * 512 * 60];
    Arrays.fill(voxels, (short) 30);
    ImageVolume ct = ImageVolume.ct(512, 512, 60, 0.8, 0.8, 2, new double[] {-204.8, -204.8, -60},
        new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1}, voxels, "1.2", "1.2.3", "1.2");
    Structure target = new Structure("Prostate", dose.structures().rois().get(0).contours().stream()
        .map(Contour::ofPoints).toList());
    long[] ms = new long[15];
    for (int run = 0; run < ms.length; run++) {
      long start = System.nanoTime();
      List<IsodoseSlices.Slice> drawn = IsodoseSlices.draw(ct, dose.result().doseGy(), 145, target);
      assertThat(drawn).hasSize(3);
      if (run == 0) {
        java.nio.file.Files.write(java.nio.file.Path.of("target/isodose-prostate.png"), drawn.get(1).png());
      }
      ms[run] = (System.nanoTime() - start) / 1_000_000;
    }
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf("IsodoseSlicesTest: 3 slices, dose grid %d x %d x %d: median %d ms, min %d, max %d%n",
        dose.result().doseGy().nx(), dose.result().doseGy().ny(), dose.result().doseGy().nz(), sorted[7], sorted[0],
        sorted[14]);
    assertThat(sorted[7]).as("median ms").isLessThan(1000);
  }

  private static int px(double mm) {
    return (int) Math.round((mm + 41) * 360 / 82.0);
  }

  private static boolean near(BufferedImage image, int x, int y, Color colour) {
    for (int dx = -3; dx <= 3; dx++) {
      for (int dy = -3; dy <= 3; dy++) {
        Color c = new Color(image.getRGB(x + dx, y + dy));
        if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
            + Math.abs(c.getBlue() - colour.getBlue()) < 60) {
          return true;
        }
      }
    }
    return false;
  }

  private static DoseGrid dose() {
    DoseGrid grid = DoseGrid.cube(new Point3(-40, -40, -40), 80, 1.0);
    new GridDoseCalculator().accumulateDoseRate(TWO_SEEDS, grid);
    grid.scale(I125Decay.totalDoseGy(1));
    return grid;
  }

  /** A CT of soft tissue, 1 mm slices, 160 x 160 pixels of 1 mm centred on the seeds. */
  private static ImageVolume ct(double dz, double[] sliceDirection) {
    short[] voxels = new short[160 * 160 * 60];
    Arrays.fill(voxels, (short) 40);
    return ImageVolume.ct(160, 160, 60, 1, 1, dz, new double[] {-79.5, -79.5, -30}, new double[] {1, 0, 0},
        new double[] {0, sliceDirection[2], -sliceDirection[1]}, sliceDirection, voxels, "1.2", "1.2.3", "1.2");
  }

  /** A disc of radius r outlined every 2 mm from z = -14 to 14. */
  private static Structure disc(double r) {
    List<Contour> contours = new ArrayList<>();
    for (int z = -14; z <= 14; z += 2) {
      double[] xy = new double[2 * 36];
      for (int i = 0; i < 36; i++) {
        xy[2 * i] = r * Math.cos(2 * Math.PI * i / 36);
        xy[2 * i + 1] = r * Math.sin(2 * Math.PI * i / 36);
      }
      contours.add(new Contour(z, xy));
    }
    return new Structure("Prostate", contours);
  }
}
