package io.seedtrace.server.console.report;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.IsodoseLines;
import io.seedtrace.dosimetry.dvh.Contour;
import io.seedtrace.dosimetry.dvh.Structure;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Isodose lines over axial CT slices through the target: the slice nearest the target's centre and
 * those {@value #STEP_MM} mm above and below, cut to the dose grid (the target and its margin), the
 * CT in a soft-tissue window, the target's contour on that slice, and the lines of 50, 100, 150 and
 * 200 % of the prescription. Each line has its own dash pattern as well as its own colour (50 %
 * dotted blue, 100 % solid red and thickest, 150 % dashed orange, 200 % dash-dot magenta; the target
 * a thin solid green), is labelled with its percentage (each level on its own side), and the
 * legend under the picture repeats the styles. Drawn as the console's projections are (same grey
 * levels, labels and PNG writer), about {@value #SIZE} pixels on the longer side.
 *
 * <pre>{@code List<IsodoseSlices.Slice> slices = IsodoseSlices.draw(ct, doseGy, 145, prostate);}</pre>
 */
public final class IsodoseSlices {

  /** The drawn levels, percent of the prescription. */
  public static final int[] PERCENTS = {50, 100, 150, 200};
  static final Color[] COLOURS = {new Color(0x4d, 0xa3, 0xff), new Color(0xff, 0x2e, 0x2e),
      new Color(0xff, 0xa5, 0x00), new Color(0xff, 0x4d, 0xff)};
  static final Color TARGET = new Color(0x3c, 0xdc, 0x3c);
  static final double STEP_MM = 10;
  private static final Stroke[] STROKES = {
      new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, new float[] {0.5f, 4.5f}, 0),
      new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND),
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {7, 4}, 0),
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {10, 3, 2, 3}, 0)};
  private static final Stroke TARGET_STROKE = new BasicStroke(1.4f);
  private static final int SIZE = 360;
  private static final int LEGEND = 24;
  private static final double WINDOW_LOW = -160;
  private static final double WINDOW_HIGH = 240;

  /** One drawn slice: its z (mm), a caption and the PNG. */
  public record Slice(double zMm, String caption, byte[] png) {}

  private IsodoseSlices() {}

  /**
   * @param ct the CT the dose was computed on (same frame of reference)
   * @param doseGy the total dose grid, Gy
   * @param prescriptionGy the prescription the percentages refer to
   * @param target the target structure
   * @throws IllegalArgumentException when the CT's slices are not axial (tilted more than about 1 degree) or the
   *     dose grid lies outside the CT
   */
  public static List<Slice> draw(ImageVolume ct, DoseGrid doseGy, double prescriptionGy, Structure target) {
    if (!(prescriptionGy > 0)) {
      throw new IllegalArgumentException("a prescription above 0 Gy is needed, got " + prescriptionGy);
    }
    if (Math.abs(ct.sliceDirection()[2]) < 0.9998) {
      throw new IllegalArgumentException("the CT's slices are not axial; isodose lines are drawn on axial slices only");
    }
    Frame frame = new Frame(ct, doseGy);
    double[] z = target.sliceZ();
    double centre = (z[0] + z[z.length - 1]) / 2;
    List<Slice> slices = new ArrayList<>();
    List<Integer> drawn = new ArrayList<>();
    for (double offset : new double[] {-STEP_MM, 0, STEP_MM}) {
      int k = (int) Math.round((centre + offset - ct.origin()[2]) / (ct.dz() * ct.sliceDirection()[2]));
      if (k < 0 || k >= ct.nz() || drawn.contains(k)) {
        continue;
      }
      drawn.add(k);
      double sliceZ = ct.toPatient(0, 0, k)[2];
      String where = offset == 0 ? "target centre" : String.format(Locale.ROOT, "%+.0f mm", offset);
      slices.add(new Slice(sliceZ, String.format(Locale.ROOT, "z = %.1f mm (%s)", sliceZ, where),
          SeedProjections.png(slice(frame, k, sliceZ, doseGy, prescriptionGy, target))));
    }
    return slices;
  }

  private static BufferedImage slice(Frame f, int k, double z, DoseGrid dose, double prescriptionGy, Structure target) {
    BufferedImage grey = new BufferedImage(f.columns(), f.rows(), BufferedImage.TYPE_BYTE_GRAY);
    for (int r = 0; r < f.rows(); r++) {
      for (int c = 0; c < f.columns(); c++) {
        grey.getRaster().setSample(c, r, 0,
            SeedProjections.level(f.ct.value(f.i0 + c, f.j0 + r, k), WINDOW_LOW, WINDOW_HIGH));
      }
    }
    int width = Math.max(f.width(), SIZE);
    BufferedImage image = new BufferedImage(width, f.height() + LEGEND, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.drawImage(grey, 0, 0, f.width(), f.height(), null);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      targetContour(g, f, target, z);
      for (int n = 0; n < PERCENTS.length; n++) {
        List<double[]> lines = IsodoseLines.joined(IsodoseLines.onPlane(dose, z, prescriptionGy * PERCENTS[n] / 100));
        isodose(g, f, lines, n);
      }
      legend(g, f.height(), width);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void targetContour(Graphics2D g, Frame f, Structure target, double z) {
    double nearest = Double.NaN;
    for (double cz : target.sliceZ()) {
      if (Double.isNaN(nearest) || Math.abs(cz - z) < Math.abs(nearest - z)) {
        nearest = cz;
      }
    }
    if (Math.abs(nearest - z) > target.sliceSpacingMm() / 2 + 0.01) {
      return; // this slice lies beyond the target
    }
    g.setColor(TARGET);
    g.setStroke(TARGET_STROKE);
    for (Contour c : target.contours()) {
      if (c.zMm() == nearest) {
        double[] xy = c.xy();
        Path2D path = f.path(xy);
        path.closePath();
        g.draw(path);
      }
    }
  }

  /**
   * Draws one level's lines and labels them once, each level on its own side so that labels do not
   * cover one another: 50 % at its rightmost point, 100 % at its top, 150 % at its bottom, 200 % inside
   * its leftmost point.
   */
  private static void isodose(Graphics2D g, Frame f, List<double[]> lines, int n) {
    g.setColor(COLOURS[n]);
    g.setStroke(STROKES[n]);
    double[] labelAt = null;
    for (double[] line : lines) {
      g.draw(f.path(line));
      for (int p = 0; p < line.length; p += 2) {
        double[] px = f.pixel(line[p], line[p + 1]);
        if (labelAt == null || further(px, labelAt, n)) {
          labelAt = px;
        }
      }
    }
    if (labelAt != null) {
      String text = PERCENTS[n] + "%";
      int width = g.getFontMetrics().stringWidth(text);
      int x = (int) labelAt[0] + (n == 0 || n == 3 ? 4 : -width / 2);
      int y = (int) labelAt[1] + (n == 1 ? -5 : n == 2 ? 14 : 4);
      SeedProjections.label(g, text, x, y);
    }
  }

  private static boolean further(double[] px, double[] than, int n) {
    return switch (n) {
      case 0 -> px[0] > than[0];
      case 1 -> px[1] < than[1];
      case 2 -> px[1] > than[1];
      default -> px[0] < than[0];
    };
  }

  private static void legend(Graphics2D g, int top, int width) {
    g.setColor(new Color(0x20, 0x20, 0x20));
    g.fillRect(0, top, width, LEGEND);
    int each = width / (PERCENTS.length + 1);
    int y = top + LEGEND / 2;
    for (int n = 0; n <= PERCENTS.length; n++) {
      int x = n * each + 4;
      g.setColor(n < PERCENTS.length ? COLOURS[n] : TARGET);
      g.setStroke(n < PERCENTS.length ? STROKES[n] : TARGET_STROKE);
      g.drawLine(x, y, x + 22, y);
      g.setColor(Color.WHITE);
      g.drawString(n < PERCENTS.length ? PERCENTS[n] + "%" : "target", x + 26, y + 4);
    }
  }

  /** The part of the CT under the dose grid, and how patient x, y map to its pixels. */
  private static final class Frame {
    private final ImageVolume ct;
    private final int i0;
    private final int j0;
    private final int i1;
    private final int j1;
    private final double pxPerMm;

    Frame(ImageVolume ct, DoseGrid dose) {
      this.ct = ct;
      double h = dose.spacingMm();
      double[] xs = {dose.originMm().x() - h / 2, dose.originMm().x() + (dose.nx() - 0.5) * h};
      double[] ys = {dose.originMm().y() - h / 2, dose.originMm().y() + (dose.ny() - 0.5) * h};
      double iMin = Double.MAX_VALUE;
      double iMax = -Double.MAX_VALUE;
      double jMin = Double.MAX_VALUE;
      double jMax = -Double.MAX_VALUE;
      for (double x : xs) {
        for (double y : ys) {
          double[] ij = ij(x, y);
          iMin = Math.min(iMin, ij[0]);
          iMax = Math.max(iMax, ij[0]);
          jMin = Math.min(jMin, ij[1]);
          jMax = Math.max(jMax, ij[1]);
        }
      }
      i0 = (int) Math.max(0, Math.floor(iMin));
      j0 = (int) Math.max(0, Math.floor(jMin));
      i1 = (int) Math.min(ct.nx() - 1, Math.ceil(iMax));
      j1 = (int) Math.min(ct.ny() - 1, Math.ceil(jMax));
      if (i1 < i0 || j1 < j0) {
        throw new IllegalArgumentException("the dose grid lies outside the CT's slices");
      }
      pxPerMm = SIZE / Math.max(columns() * ct.dx(), rows() * ct.dy());
    }

    int columns() {
      return i1 - i0 + 1;
    }

    int rows() {
      return j1 - j0 + 1;
    }

    int width() {
      return Math.max(1, (int) Math.round(columns() * ct.dx() * pxPerMm));
    }

    int height() {
      return Math.max(1, (int) Math.round(rows() * ct.dy() * pxPerMm));
    }

    /** The CT's fractional column and row of patient (x, y) on an axial slice. */
    double[] ij(double x, double y) {
      double dx = x - ct.origin()[0];
      double dy = y - ct.origin()[1];
      double[] r = ct.rowDirection();
      double[] c = ct.columnDirection();
      return new double[] {(dx * r[0] + dy * r[1]) / ct.dx(), (dx * c[0] + dy * c[1]) / ct.dy()};
    }

    double[] pixel(double x, double y) {
      double[] ij = ij(x, y);
      return new double[] {(ij[0] - i0 + 0.5) * ct.dx() * pxPerMm, (ij[1] - j0 + 0.5) * ct.dy() * pxPerMm};
    }

    /** A line through x0, y0, x1, y1, ... in pixels. */
    Path2D path(double[] xy) {
      Path2D path = new Path2D.Double();
      for (int p = 0; p < xy.length; p += 2) {
        double[] px = pixel(xy[p], xy[p + 1]);
        if (p == 0) {
          path.moveTo(px[0], px[1]);
        } else {
          path.lineTo(px[0], px[1]);
        }
      }
      return path;
    }
  }
}
