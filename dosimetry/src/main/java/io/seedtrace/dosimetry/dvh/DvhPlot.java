package io.seedtrace.dosimetry.dvh;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The cumulative DVHs of an implant as a PNG (plain Java2D, no display needed): volume in % of each
 * structure against dose in Gy from 0 to twice the prescription (the range that matters for V100,
 * V150 and V200 and the organ limits), one colour per structure, the prescription as a dashed line.
 *
 * <pre>{@code byte[] png = DvhPlot.png(List.copyOf(result.dvhs().values()), 145);}</pre>
 */
public final class DvhPlot {

  public static final int WIDTH = 640;
  public static final int HEIGHT = 400;
  /** Colours of the curves in the order of the DVHs given: target red, then blue, green, orange, purple. */
  static final Color[] COLOURS = {new Color(0xD0, 0x20, 0x20), new Color(0x20, 0x50, 0xD0),
      new Color(0x10, 0x90, 0x30), new Color(0xE0, 0x80, 0x00), new Color(0x80, 0x30, 0xA0)};
  static final int LEFT = 60;
  static final int RIGHT = 20;
  static final int TOP = 20;
  static final int BOTTOM = 50;

  private DvhPlot() {}

  /** The plot as PNG bytes; at most {@link #COLOURS} curves are drawn (the first ones). */
  public static byte[] png(List<DoseVolumeHistogram> dvhs, double prescriptionGy) {
    if (!(prescriptionGy > 0)) {
      throw new IllegalArgumentException("prescription must be positive, got " + prescriptionGy);
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      double maxGy = 2 * prescriptionGy;
      axes(g, maxGy);
      g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      g.setColor(Color.GRAY);
      int xRx = x(prescriptionGy, maxGy);
      g.drawLine(xRx, TOP, xRx, HEIGHT - BOTTOM);
      g.setStroke(new BasicStroke(2f));
      for (int n = 0; n < Math.min(dvhs.size(), COLOURS.length); n++) {
        curve(g, dvhs.get(n), maxGy, COLOURS[n], n);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static int x(double gy, double maxGy) {
    return LEFT + (int) Math.round(Math.min(gy, maxGy) / maxGy * (WIDTH - LEFT - RIGHT));
  }

  static int y(double percent) {
    return TOP + (int) Math.round((100 - percent) / 100 * (HEIGHT - TOP - BOTTOM));
  }

  private static void axes(Graphics2D g, double maxGy) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
    g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
    for (int p = 0; p <= 100; p += 20) {
      g.drawLine(LEFT - 4, y(p), LEFT, y(p));
      g.drawString(p + " %", LEFT - 40, y(p) + 4);
    }
    for (int t = 0; t <= 4; t++) {
      double gy = maxGy * t / 4;
      g.drawLine(x(gy, maxGy), HEIGHT - BOTTOM, x(gy, maxGy), HEIGHT - BOTTOM + 4);
      g.drawString(String.format(Locale.ROOT, "%.0f", gy), x(gy, maxGy) - 10, HEIGHT - BOTTOM + 16);
    }
    g.drawString("Dose (Gy); dashed: prescription", WIDTH / 2 - 80, HEIGHT - 12);
  }

  private static void curve(Graphics2D g, DoseVolumeHistogram dvh, double maxGy, Color colour, int n) {
    int steps = WIDTH - LEFT - RIGHT;
    Path2D.Double path = new Path2D.Double();
    for (int s = 0; s <= steps; s++) {
      double gy = maxGy * s / steps;
      double percent = dvh.percentAtLeast(gy);
      if (s == 0) {
        path.moveTo(x(gy, maxGy), y(percent));
      } else {
        path.lineTo(x(gy, maxGy), y(percent));
      }
    }
    g.setColor(colour);
    g.draw(path);
    int legendY = TOP + 14 + 16 * n;
    g.fillRect(WIDTH - RIGHT - 150, legendY - 8, 12, 8);
    g.drawString(String.format(Locale.ROOT, "%s (%.1f cc)", dvh.name(), dvh.volumeCc()), WIDTH - RIGHT - 132,
        legendY);
  }
}
