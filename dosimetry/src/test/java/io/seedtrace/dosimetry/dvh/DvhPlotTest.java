package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DvhPlotTest {

  @Test
  void drawsEachStructuresCurveWhereItsDvhIs() throws Exception {
    ImplantDosimetry.Result r = new ImplantDosimetry(ImplantDosimetry.Settings.defaults())
        .evaluate(GeneratedImplant.seeds(0.5), GeneratedImplant.structures(5));
    DoseVolumeHistogram target = r.dvhs().get(StructureRole.TARGET);
    DoseVolumeHistogram rectum = r.dvhs().get(StructureRole.RECTUM);
    byte[] png = DvhPlot.png(List.of(target, rectum), 145);

    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(DvhPlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(DvhPlot.HEIGHT);
    // at 72.5 Gy (a quarter of the axis) each curve passes through its V at that dose
    double gy = 72.5;
    assertThat(colourNear(image, DvhPlot.x(gy, 290), DvhPlot.y(target.percentAtLeast(gy)), DvhPlot.COLOURS[0]))
        .isTrue();
    assertThat(colourNear(image, DvhPlot.x(gy, 290), DvhPlot.y(rectum.percentAtLeast(gy)), DvhPlot.COLOURS[1]))
        .isTrue();
    // and nowhere else in that column is the target's red
    int elsewhere = DvhPlot.y(target.percentAtLeast(gy)) > DvhPlot.y(50) ? DvhPlot.y(90) : DvhPlot.y(10);
    assertThat(colourNear(image, DvhPlot.x(gy, 290), elsewhere, DvhPlot.COLOURS[0])).isFalse();
  }

  @Test
  void refusesANonPositivePrescription() {
    assertThatThrownBy(() -> DvhPlot.png(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static boolean colourNear(BufferedImage image, int x, int y, java.awt.Color colour) {
    for (int dy = -2; dy <= 2; dy++) {
      int rgb = image.getRGB(x, Math.max(0, Math.min(image.getHeight() - 1, y + dy)));
      int r = (rgb >> 16) & 0xff;
      int g = (rgb >> 8) & 0xff;
      int b = rgb & 0xff;
      if (Math.abs(r - colour.getRed()) < 40 && Math.abs(g - colour.getGreen()) < 40
          && Math.abs(b - colour.getBlue()) < 40) {
        return true;
      }
    }
    return false;
  }
}
