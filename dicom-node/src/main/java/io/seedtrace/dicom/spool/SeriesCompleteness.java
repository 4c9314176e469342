package io.seedtrace.dicom.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Whether a series looks whole: no slice missing between its first and last slice (judged by the
 * positions along the slice normal and by the instance numbers) and no association that carried it
 * ended without a release. A series cut off at its end by a dropped association has no gap; only
 * the interruption tells.
 *
 * <pre>{@code
 * SeriesCompleteness c = SeriesCompleteness.of(records, interrupted);
 * if (!c.complete()) { report c.describe() }
 * }</pre>
 *
 * @param gaps one sentence per gap found, e.g. "2 slice(s) missing between 10.0 and 13.0 mm"
 * @param interrupted an association that carried instances of the series was aborted or broken
 */
public record SeriesCompleteness(List<String> gaps, boolean interrupted) {

  /** A step between neighbouring slices longer than this times the series' spacing is a gap. */
  public static final double GAP_FACTOR = 1.5;
  /** Positions closer than this (mm) are one position. */
  private static final double SAME_POSITION_MM = 0.01;
  private static final int MAX_LISTED = 5;

  public SeriesCompleteness {
    gaps = List.copyOf(gaps);
  }

  /** Nothing is known to be missing. */
  public static SeriesCompleteness whole() {
    return new SeriesCompleteness(List.of(), false);
  }

  public boolean complete() {
    return gaps.isEmpty() && !interrupted;
  }

  /** What is wrong, in one sentence without a final period; empty when complete. */
  public String describe() {
    List<String> parts = new ArrayList<>(gaps);
    if (interrupted) {
      parts.add("an association that carried the series ended without a release (aborted or broken)");
    }
    return String.join("; ", parts);
  }

  /** Checks the instances of one series. */
  public static SeriesCompleteness of(List<InstanceRecord> instances, boolean interrupted) {
    List<String> gaps = new ArrayList<>(positionGaps(instances.stream().map(InstanceRecord::slicePosition).toList()));
    gaps.addAll(numberGaps(instances.stream().map(InstanceRecord::instanceNumber).toList()));
    return new SeriesCompleteness(gaps, interrupted);
  }

  /**
   * Gaps in the slice positions (mm along the slice normal): a step longer than {@link
   * #GAP_FACTOR} times the series' regular spacing (the lower median step). Instances without a
   * position are left out; fewer than three positions show no gap.
   */
  static List<String> positionGaps(List<OptionalDouble> positions) {
    double[] sorted = positions.stream().filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
        .sorted().toArray();
    List<Double> distinct = new ArrayList<>();
    for (double p : sorted) {
      if (distinct.isEmpty() || p - distinct.get(distinct.size() - 1) > SAME_POSITION_MM) {
        distinct.add(p);
      }
    }
    if (distinct.size() < 3) {
      return List.of();
    }
    double[] steps = new double[distinct.size() - 1];
    for (int k = 1; k < distinct.size(); k++) {
      steps[k - 1] = distinct.get(k) - distinct.get(k - 1);
    }
    double[] ordered = steps.clone();
    java.util.Arrays.sort(ordered);
    double spacing = ordered[(ordered.length - 1) / 2];
    List<String> found = new ArrayList<>();
    for (int k = 0; k < steps.length; k++) {
      if (steps[k] > GAP_FACTOR * spacing) {
        long missing = Math.max(1, Math.round(steps[k] / spacing) - 1);
        found.add(String.format(java.util.Locale.ROOT, "%d slice(s) missing between %.2f and %.2f mm (spacing %.2f mm)",
            missing, distinct.get(k), distinct.get(k + 1), spacing));
      }
    }
    return listed(found, "position gap(s)");
  }

  /**
   * Instance numbers skipped between the lowest and the highest received. Checked only when every
   * instance has a number.
   */
  static List<String> numberGaps(List<OptionalInt> numbers) {
    if (numbers.isEmpty() || numbers.stream().anyMatch(OptionalInt::isEmpty)) {
      return List.of();
    }
    int[] sorted = numbers.stream().mapToInt(OptionalInt::getAsInt).distinct().sorted().toArray();
    List<String> found = new ArrayList<>();
    for (int k = 1; k < sorted.length; k++) {
      int from = sorted[k - 1] + 1;
      int to = sorted[k] - 1;
      if (to == from) {
        found.add("instance number " + from + " missing");
      } else if (to > from) {
        found.add("instance numbers " + from + "-" + to + " missing");
      }
    }
    return listed(found, "instance number gap(s)");
  }

  private static List<String> listed(List<String> found, String what) {
    if (found.size() <= MAX_LISTED) {
      return found;
    }
    List<String> some = new ArrayList<>(found.subList(0, MAX_LISTED));
    some.add("and " + (found.size() - MAX_LISTED) + " more " + what);
    return some;
  }
}
