package io.seedtrace.server.cli;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.Seed;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A picture for a human to check the detection: maximum-intensity projections of the CT in three
 * planes (axial, coronal, sagittal), side by side at their physical aspect ratio, with every
 * detected seed circled and numbered as in the printed table.
 */
final class SeedPreview {

  static final Color MARKER = new Color(255, 40, 40);
  private static final int WINDOW_LOW = -200;
  private static final int WINDOW_HIGH = 3000;

  private SeedPreview() {}

  static void write(CtScan scan, List<Seed> seeds, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int nx = scan.nx();
    int ny = scan.ny();
    int nz = scan.nz();
    short[] hu = scan.hu();
    int plane = nx * ny;
    short[] axial = new short[nx * ny];
    short[] coronal = new short[nx * nz];
    short[] sagittal = new short[ny * nz];
    java.util.Arrays.fill(axial, Short.MIN_VALUE);
    java.util.Arrays.fill(coronal, Short.MIN_VALUE);
    java.util.Arrays.fill(sagittal, Short.MIN_VALUE);
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        int row = k * plane + j * nx;
        for (int i = 0; i < nx; i++) {
          short v = hu[row + i];
          if (v > axial[j * nx + i]) {
            axial[j * nx + i] = v;
          }
          if (v > coronal[k * nx + i]) {
            coronal[k * nx + i] = v;
          }
          if (v > sagittal[k * ny + j]) {
            sagittal[k * ny + j] = v;
          }
        }
      }
    }
    double mm = Math.max(Math.min(scan.dx(), Math.min(scan.dy(), scan.dz())),
        Math.max(nx * scan.dx(), ny * scan.dy()) / 600.0);
    int aw = (int) Math.round(nx * scan.dx() / mm);
    int ah = (int) Math.round(ny * scan.dy() / mm);
    int ch = (int) Math.round(nz * scan.dz() / mm);
    int sw = (int) Math.round(ny * scan.dy() / mm);
    int gap = 10;
    int title = 22;
    BufferedImage image = new BufferedImage(aw + gap + aw + gap + sw, title + Math.max(ah, ch), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.DARK_GRAY);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    int x0 = 0;
    int x1 = aw + gap;
    int x2 = 2 * (aw + gap);
    draw(image, axial, nx, ny, x0, title, aw, ah);
    draw(image, coronal, nx, nz, x1, title, aw, ch);
    draw(image, sagittal, ny, nz, x2, title, sw, ch);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString("axial MIP", x0 + 4, 15);
    g.drawString("coronal MIP", x1 + 4, 15);
    g.drawString("sagittal MIP", x2 + 4, 15);
    g.drawString(seeds.size() + " seeds", image.getWidth() - 70, 15);
    g.setStroke(new BasicStroke(1.5f));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10));
    int n = 1;
    for (Seed s : seeds) {
      double[] v = voxel(scan, s.centre());
      mark(g, n, x0 + v[0] / nx * aw, title + v[1] / ny * ah);
      mark(g, n, x1 + v[0] / nx * aw, title + v[2] / nz * ch);
      mark(g, n, x2 + v[1] / ny * sw, title + v[2] / nz * ch);
      n++;
    }
    g.dispose();
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  private static void mark(Graphics2D g, int n, double x, double y) {
    g.setColor(MARKER);
    g.drawOval((int) Math.round(x) - 6, (int) Math.round(y) - 6, 12, 12);
    g.drawString(Integer.toString(n), (int) Math.round(x) + 7, (int) Math.round(y) - 5);
  }

  /** Draws a projection of w x h voxels into the rectangle (x, y, pw, ph), nearest neighbour. */
  private static void draw(BufferedImage image, short[] proj, int w, int h, int x, int y, int pw, int ph) {
    for (int py = 0; py < ph; py++) {
      int sy = Math.min(h - 1, py * h / ph);
      for (int px = 0; px < pw; px++) {
        int sx = Math.min(w - 1, px * w / pw);
        int v = proj[sy * w + sx];
        int gray = (int) Math.round(255.0 * Math.max(0, Math.min(1, (v - WINDOW_LOW) / (double) (WINDOW_HIGH - WINDOW_LOW))));
        image.setRGB(x + px, y + py, (gray << 16) | (gray << 8) | gray);
      }
    }
  }

  /** Patient mm to voxel index (i, j, k), for orthonormal directions. */
  static double[] voxel(CtScan scan, double[] p) {
    double[] d = {p[0] - scan.origin()[0], p[1] - scan.origin()[1], p[2] - scan.origin()[2]};
    return new double[] {dot(d, scan.row()) / scan.dx(), dot(d, scan.column()) / scan.dy(),
        dot(d, scan.slice()) / scan.dz()};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
