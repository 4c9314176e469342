package io.seedtrace.server.console.report;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.server.verification.SeedFigures;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Maximum-intensity projections of a verified CT in three planes with the seeds drawn on them:
 * every detected seed numbered, every planned seed marked by what became of it. The marks differ
 * in shape as well as colour, so they can be told apart without colour: a matched planned seed is
 * a blue circle, a missing planned seed a red square with a cross, an extra detected seed (none
 * planned there) an orange triangle. Images are drawn to scale (millimetres, not voxels), about
 * {@value #SIZE} pixels on their longer side, as PNG. Usage:
 * <pre>{@code Map<Plane, byte[]> pngs = SeedProjections.draw(volume, figures);}</pre>
 */
public final class SeedProjections {

  /** The three planes; each projects the volume along one of its axes. */
  public enum Plane {
    AXIAL, CORONAL, SAGITTAL;

    public String path() {
      return name().toLowerCase();
    }
  }

  static final Color MATCHED = new Color(0x0b, 0x61, 0xa4);
  static final Color MISSING = new Color(0xd7, 0x19, 0x1c);
  static final Color EXTRA = new Color(0xf4, 0x8c, 0x06);
  private static final int SIZE = 420;
  private static final int MARK = 7;
  private static final double WINDOW_LOW = -200;
  private static final double WINDOW_HIGH = 1800;

  private SeedProjections() {}

  /** The three projections as PNG. */
  public static Map<Plane, byte[]> draw(ImageVolume volume, SeedFigures figures) {
    short[][] mips = project(volume);
    Map<Plane, byte[]> pngs = new EnumMap<>(Plane.class);
    for (Plane plane : Plane.values()) {
      pngs.put(plane, png(drawPlane(volume, figures, plane, mips[plane.ordinal()])));
    }
    return pngs;
  }

  /** The maximum along k (axial, nx by ny), along j (coronal, nx by nz) and along i (sagittal, ny by nz), in one pass. */
  static short[][] project(ImageVolume v) {
    int nx = v.nx();
    int ny = v.ny();
    int nz = v.nz();
    short[] axial = filled(nx * ny);
    short[] coronal = filled(nx * nz);
    short[] sagittal = filled(ny * nz);
    short[] voxels = v.voxels();
    int index = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          short hu = voxels[index++];
          axial[i + nx * j] = max(axial[i + nx * j], hu);
          coronal[i + nx * k] = max(coronal[i + nx * k], hu);
          sagittal[j + ny * k] = max(sagittal[j + ny * k], hu);
        }
      }
    }
    return new short[][] {axial, coronal, sagittal};
  }

  private static BufferedImage drawPlane(ImageVolume v, SeedFigures figures, Plane plane, short[] mip) {
    View view = new View(v, plane);
    BufferedImage grey = new BufferedImage(view.columns, view.rows, BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < view.rows; r++) {
      for (int c = 0; c < view.columns; c++) {
        grey.getRaster().setSample(c, r, 0, level(mip[view.mipIndex(c, r)]));
      }
    }
    BufferedImage image = new BufferedImage(view.width(), view.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.drawImage(grey, 0, 0, view.width(), view.height(), null);
      marks(g, view, figures);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void marks(Graphics2D g, View view, SeedFigures figures) {
    g.setStroke(new BasicStroke(2f));
    for (SeedFigures.PlannedSeed p : figures.planned()) {
      double[] xy = view.pixel(p.centre());
      if (p.missing()) {
        g.setColor(MISSING);
        g.drawRect((int) xy[0] - MARK, (int) xy[1] - MARK, 2 * MARK, 2 * MARK);
        g.drawLine((int) xy[0] - MARK, (int) xy[1] - MARK, (int) xy[0] + MARK, (int) xy[1] + MARK);
        g.drawLine((int) xy[0] - MARK, (int) xy[1] + MARK, (int) xy[0] + MARK, (int) xy[1] - MARK);
      } else {
        g.setColor(MATCHED);
        g.drawOval((int) xy[0] - MARK, (int) xy[1] - MARK, 2 * MARK, 2 * MARK);
      }
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
    List<SeedFigures.DetectedSeed> detected = figures.detected();
    for (int n = 0; n < detected.size(); n++) {
      double[] xy = view.pixel(detected.get(n).centre());
      if (detected.get(n).extra()) {
        g.setColor(EXTRA);
        Path2D triangle = new Path2D.Double();
        triangle.moveTo(xy[0], xy[1] - MARK - 2);
        triangle.lineTo(xy[0] + MARK + 1, xy[1] + MARK);
        triangle.lineTo(xy[0] - MARK - 1, xy[1] + MARK);
        triangle.closePath();
        g.draw(triangle);
      }
      label(g, String.valueOf(n + 1), (int) xy[0] + MARK + 1, (int) xy[1] - MARK + 2);
    }
  }

  /** A number in yellow with a dark outline, readable on black and white alike. */
  static void label(Graphics2D g, String text, int x, int y) {
    g.setColor(Color.BLACK);
    for (int dx = -1; dx <= 1; dx++) {
      for (int dy = -1; dy <= 1; dy++) {
        g.drawString(text, x + dx, y + dy);
      }
    }
    g.setColor(new Color(0xff, 0xe0, 0x4d));
    g.drawString(text, x, y);
  }

  /** How a plane's projection maps to the picture: which voxel axes run across and down, and the scale. */
  private static final class View {
    private final ImageVolume v;
    private final Plane plane;
    private final int columns;
    private final int rows;
    private final double scaleX;
    private final double scaleY;

    View(ImageVolume v, Plane plane) {
      this.v = v;
      this.plane = plane;
      columns = plane == Plane.SAGITTAL ? v.ny() : v.nx();
      rows = plane == Plane.AXIAL ? v.ny() : v.nz();
      double spacingX = plane == Plane.SAGITTAL ? v.dy() : v.dx();
      double spacingY = plane == Plane.AXIAL ? v.dy() : v.dz();
      double pxPerMm = SIZE / Math.max(columns * spacingX, rows * spacingY);
      scaleX = spacingX * pxPerMm;
      scaleY = spacingY * pxPerMm;
    }

    int width() {
      return Math.max(1, (int) Math.round(columns * scaleX));
    }

    int height() {
      return Math.max(1, (int) Math.round(rows * scaleY));
    }

    /** Coronal and sagittal pictures show the head at the top when the slices run towards the head. */
    private boolean flipRows() {
      return plane != Plane.AXIAL && v.sliceDirection()[2] > 0;
    }

    int mipIndex(int column, int row) {
      int r = flipRows() ? rows - 1 - row : row;
      return column + columns * r;
    }

    /** The picture position (pixels) of a point in patient coordinates. */
    double[] pixel(double[] patient) {
      double[] ijk = new double[3];
      double[][] axes = {v.rowDirection(), v.columnDirection(), v.sliceDirection()};
      double[] spacing = {v.dx(), v.dy(), v.dz()};
      for (int a = 0; a < 3; a++) {
        double dot = 0;
        for (int c = 0; c < 3; c++) {
          dot += (patient[c] - v.origin()[c]) * axes[a][c];
        }
        ijk[a] = dot / spacing[a];
      }
      double column = plane == Plane.SAGITTAL ? ijk[1] : ijk[0];
      double row = plane == Plane.AXIAL ? ijk[1] : ijk[2];
      if (flipRows()) {
        row = rows - 1 - row;
      }
      return new double[] {(column + 0.5) * scaleX, (row + 0.5) * scaleY};
    }
  }

  private static int level(short hu) {
    return level(hu, WINDOW_LOW, WINDOW_HIGH);
  }

  /** A grey level 0-255 for a value in a window (Hounsfield units). */
  static int level(short hu, double low, double high) {
    double t = (hu - low) / (high - low);
    return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
  }

  private static short[] filled(int n) {
    short[] a = new short[n];
    Arrays.fill(a, Short.MIN_VALUE);
    return a;
  }

  private static short max(short a, short b) {
    return a >= b ? a : b;
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
