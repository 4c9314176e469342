package io.seedtrace.server.console.report;

import io.seedtrace.server.verification.SeedFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report page's displacement table: one row per planned seed (where it was planned, the seed
 * found for it and where, how far apart) and one per extra detected seed, each with whether it
 * raises an alarm: a missing seed, an extra seed, and a matched seed beyond the tolerance do.
 */
public final class DisplacementTable {

  /**
   * A row; null where a side does not exist.
   *
   * @param outcome {@code matched}, {@code missing} or {@code extra}
   */
  public record Row(Integer plannedSeed, String plannedAt, Integer foundSeed, String foundAt, String distanceMm,
      String outcome, boolean alarm) {}

  private DisplacementTable() {}

  public static List<Row> rows(SeedFigures figures) {
    List<Row> rows = new ArrayList<>();
    for (int n = 1; n <= figures.planned().size(); n++) {
      SeedFigures.PlannedSeed p = figures.planned().get(n - 1);
      if (p.missing()) {
        rows.add(new Row(n, position(p.centre()), null, null, null, "missing", true));
      } else {
        rows.add(new Row(n, position(p.centre()), p.detectedSeed(),
            position(figures.detectedSeed(p.detectedSeed()).centre()),
            String.format(Locale.ROOT, "%.1f", p.distanceMm()), "matched", p.beyondTolerance()));
      }
    }
    if (!figures.planned().isEmpty()) {
      for (int n = 1; n <= figures.detected().size(); n++) {
        if (figures.detectedSeed(n).extra()) {
          rows.add(new Row(null, null, n, position(figures.detectedSeed(n).centre()), null, "extra", true));
        }
      }
    }
    return rows;
  }

  /** A position as people read it: x, y, z in mm, one decimal. */
  public static String position(double[] p) {
    return String.format(Locale.ROOT, "(%.1f, %.1f, %.1f)", p[0], p[1], p[2]);
  }
}
