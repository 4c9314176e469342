package io.seedtrace.server.console.report;

import java.util.Locale;

/**
 * Draws the count balance L0 = L1 + L2 + L3 as an SVG: the shipped seeds as one bar, and below it
 * the imaged, remaining and removed seeds as one stacked bar of the same scale, so a gap (seeds
 * unaccounted for) or an overhang (more seen than shipped) is visible at a glance. The gap is
 * hatched and labelled, not only coloured. Only numbers and fixed words go into the markup.
 */
public final class CountBalanceSvg {

  private static final int WIDTH = 640;
  private static final int LEFT = 20;
  private static final int BAR = 560;

  private CountBalanceSvg() {}

  public static String draw(ReportView.Counts c) {
    int l0 = orZero(c.shipped());
    int sum = orZero(c.imaged()) + orZero(c.remaining()) + orZero(c.removed());
    double scale = (double) BAR / Math.max(1, Math.max(l0, sum));
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"190\""
        + " viewBox=\"0 0 %d 190\" role=\"img\" aria-labelledby=\"balance-title\">", WIDTH, WIDTH));
    svg.append("<title id=\"balance-title\">").append(summary(c)).append("</title>");
    svg.append("<defs><pattern id=\"gap\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\""
        + " patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fde7e9\"/>"
        + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#a4161a\" stroke-width=\"3\"/></pattern></defs>");
    text(svg, LEFT, 18, "Shipped (L0)" + value(c.shipped()));
    rect(svg, LEFT, 26, l0 * scale, "#1f4e79", "L0");
    text(svg, LEFT, 88, "Imaged (L1) + remaining (L2) + removed (L3)");
    double x = LEFT;
    x = segment(svg, x, c.imaged(), scale, "#2e7d32", "L1");
    x = segment(svg, x, c.remaining(), scale, "#6a1b9a", "L2");
    x = segment(svg, x, c.removed(), scale, "#795548", "L3");
    Integer gap = c.unaccounted();
    if (gap != null && gap > 0) {
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"96\" width=\"%.1f\" height=\"34\" fill=\"url(#gap)\""
          + " stroke=\"#a4161a\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>", x, gap * scale));
    }
    text(svg, LEFT, 160, legend(c));
    text(svg, LEFT, 182, verdict(c));
    return svg.append("</svg>").toString();
  }

  private static double segment(StringBuilder svg, double x, Integer n, double scale, String fill, String name) {
    if (n == null || n == 0) {
      return x;
    }
    rect(svg, x, 96, n * scale, fill, name + " " + n);
    return x + n * scale;
  }

  private static void rect(StringBuilder svg, double x, int y, double w, String fill, String label) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"34\" fill=\"%s\""
        + " stroke=\"#ffffff\" stroke-width=\"1\"/>", x, y, w, fill));
    if (w > 36) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#ffffff\" font-size=\"14\""
          + " font-family=\"sans-serif\">%s</text>", x + 6, y + 22, label));
    }
  }

  private static void text(StringBuilder svg, double x, int y, String s) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#1a1a1a\" font-size=\"14\""
        + " font-family=\"sans-serif\">%s</text>", x, y, s));
  }

  private static String legend(ReportView.Counts c) {
    return "L1 imaged" + value(c.imaged()) + ", L2 remaining" + value(c.remaining()) + ", L3 removed" + value(c.removed());
  }

  /** The balance in one sentence (also the image's accessible name). */
  public static String verdict(ReportView.Counts c) {
    Integer gap = c.unaccounted();
    if (gap == null) {
      return "A count is not recorded: the balance cannot be proven.";
    }
    if (gap == 0) {
      return "Balanced: " + c.shipped() + " = " + c.imaged() + " + " + c.remaining() + " + " + c.removed() + ".";
    }
    return gap > 0 ? "Not balanced: " + gap + " seed" + (gap == 1 ? "" : "s") + " unaccounted for (hatched)."
        : "Not balanced: " + (-gap) + " more seen than shipped.";
  }

  private static String summary(ReportView.Counts c) {
    return "Count balance. Shipped L0" + value(c.shipped()) + "; " + legend(c) + ". " + verdict(c);
  }

  private static String value(Integer n) {
    return n == null ? " not recorded" : " = " + n;
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
