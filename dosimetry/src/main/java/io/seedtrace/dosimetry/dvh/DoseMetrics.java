package io.seedtrace.dosimetry.dvh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dose-volume metrics of a prostate implant from the DVHs of its structures, and the findings
 * against the limits: target D90 (Gy), V100, V150, V200 (% of the target); urethra D10, D30 (Gy);
 * rectum D2cc (Gy) and V100 (cm^3); bladder D2cc (Gy). A role without a structure has no metrics.
 *
 * <pre>{@code
 * DoseMetrics m = DoseMetrics.of(dvhs, DoseLimits.defaults());
 * m.value("dose-d90"); m.findings();
 * }</pre>
 */
public record DoseMetrics(List<DoseMetric> metrics, List<DoseFinding> findings) {

  public DoseMetrics {
    metrics = List.copyOf(metrics);
    findings = List.copyOf(findings);
  }

  /**
   * @throws IllegalArgumentException if there is no target DVH
   */
  public static DoseMetrics of(Map<StructureRole, DoseVolumeHistogram> dvhs, DoseLimits limits) {
    DoseVolumeHistogram target = dvhs.get(StructureRole.TARGET);
    if (target == null) {
      throw new IllegalArgumentException("no target structure: D90 and V100 need the prostate, CTV or PTV");
    }
    double rx = limits.prescriptionGy();
    List<DoseMetric> m = new ArrayList<>();
    List<DoseFinding> f = new ArrayList<>();
    String t = target.name();
    m.add(new DoseMetric("dose-prescription", "Prescribed dose", t, rx, "Gy"));
    m.add(new DoseMetric("dose-target-volume", "Target volume", t, target.volumeCc(), "cm3"));
    double d90 = target.doseToPercentGy(90);
    m.add(new DoseMetric("dose-d90", "Target D90", t, d90, "Gy"));
    m.add(new DoseMetric("dose-v100", "Target V100", t, target.percentAtLeast(rx), "%"));
    m.add(new DoseMetric("dose-v150", "Target V150", t, target.percentAtLeast(1.5 * rx), "%"));
    m.add(new DoseMetric("dose-v200", "Target V200", t, target.percentAtLeast(2 * rx), "%"));
    if (d90 < limits.underdoseFraction() * rx) {
      f.add(new DoseFinding(DoseFinding.UNDERDOSE, String.format(Locale.ROOT,
          "Underdose: %s D90 %.1f Gy is %.0f %% of the prescribed %.0f Gy (limit %.0f %%).", t, d90, 100 * d90 / rx,
          rx, 100 * limits.underdoseFraction())));
    }
    Optional.ofNullable(dvhs.get(StructureRole.URETHRA)).ifPresent(u -> {
      double d10 = u.doseToPercentGy(10);
      double d30 = u.doseToPercentGy(30);
      m.add(new DoseMetric("dose-urethra-d10", "Urethra D10", u.name(), d10, "Gy"));
      m.add(new DoseMetric("dose-urethra-d30", "Urethra D30", u.name(), d30, "Gy"));
      limit(f, u.name() + " D10", d10, limits.urethraD10MaxFraction() * rx, "Gy");
      limit(f, u.name() + " D30", d30, limits.urethraD30MaxFraction() * rx, "Gy");
    });
    Optional.ofNullable(dvhs.get(StructureRole.RECTUM)).ifPresent(r -> {
      double d2cc = r.doseToVolumeGy(2);
      double v100 = r.volumeAtLeastCc(rx);
      m.add(new DoseMetric("dose-rectum-d2cc", "Rectum D2cc", r.name(), d2cc, "Gy"));
      m.add(new DoseMetric("dose-rectum-v100", "Rectum V100", r.name(), v100, "cm3"));
      limit(f, r.name() + " D2cc", d2cc, limits.rectumD2ccMaxGy(), "Gy");
      limit(f, r.name() + " V100", v100, limits.rectumV100MaxCc(), "cm3");
    });
    Optional.ofNullable(dvhs.get(StructureRole.BLADDER)).ifPresent(b ->
        m.add(new DoseMetric("dose-bladder-d2cc", "Bladder D2cc", b.name(), b.doseToVolumeGy(2), "Gy")));
    return new DoseMetrics(m, f);
  }

  private static void limit(List<DoseFinding> findings, String what, double value, double max, String unit) {
    if (value > max) {
      findings.add(new DoseFinding(DoseFinding.ORGAN_LIMIT, String.format(Locale.ROOT,
          "Organ limit exceeded: %s %.1f %s above the limit %.1f %s.", what, value, unit, max, unit)));
    }
  }

  /** The value of the metric with this code, if computed. */
  public Optional<Double> value(String code) {
    return metrics.stream().filter(x -> x.code().equals(code)).map(DoseMetric::value).findFirst();
  }
}
