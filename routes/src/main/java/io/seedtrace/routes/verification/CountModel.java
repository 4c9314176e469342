package io.seedtrace.routes.verification;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The count model of MISSION.md stage 5: every seed shipped is either seen in the patient, left
 * in the sealed cartridge, or was removed before implantation: L0 = L1 + L2 + L3. Anything else
 * is an alarm that states all four numbers. When the detector's count is uncertain (clusters whose
 * seed number is ambiguous, seeds in tissue, markers) and its range holds the balance, the alarm
 * is {@code count-uncertain}: the images need a look, but no seed is known to be missing.
 *
 * @param shipped L0, from the chip at receipt
 * @param imaged L1, seen on the CT
 * @param imagedMin / imagedMax the detector's range for L1
 * @param remaining L2, recorded at sealing
 * @param removed L3, recorded at assembly
 */
public record CountModel(OptionalInt shipped, int imaged, int imagedMin, int imagedMax, OptionalInt remaining,
    OptionalInt removed) {

  public List<String> alarms() {
    List<String> alarms = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (shipped.isEmpty()) {
      missing.add("shipped count L0 (no chip read)");
    }
    if (remaining.isEmpty()) {
      missing.add("remaining count L2 (not sealed)");
    }
    if (removed.isEmpty()) {
      missing.add("removed count L3 (not assembled)");
    }
    if (!missing.isEmpty()) {
      alarms.add("Count cannot be balanced: no " + String.join(", no ", missing) + "; imaged L1 = " + imaged + ".");
      return alarms;
    }
    int expected = shipped.getAsInt() - remaining.getAsInt() - removed.getAsInt();
    if (expected == imaged) {
      return alarms;
    }
    String numbers = "shipped L0 = " + shipped.getAsInt() + ", imaged L1 = " + imaged + ", remaining L2 = "
        + remaining.getAsInt() + ", removed L3 = " + removed.getAsInt();
    if (balancesWithinRange()) {
      alarms.add("Count uncertain: " + numbers + "; the detector's count is uncertain (" + imagedMin + "-" + imagedMax
          + " seeds: touching seeds, seeds in tissue, or a marker it cannot tell from seeds) and the balance holds"
          + " within that range (L1 = " + expected + "). No seed is known to be missing; check the images.");
      return alarms;
    }
    String uncertain = imagedMin != imagedMax
        ? " The detector's count is uncertain (" + imagedMin + "-" + imagedMax + " seeds), but even its range does"
            + " not balance."
        : "";
    int difference = expected - imaged;
    alarms.add("Count mismatch: " + numbers + "; " + Math.abs(difference) + " seed"
        + (Math.abs(difference) == 1 ? " " : "s ") + (difference > 0 ? "unaccounted for." : "more than shipped.")
        + uncertain);
    return alarms;
  }

  /**
   * The kind of the count alarm: {@code count-uncertain} when the detector's count differs from
   * the balance but its range holds it (no confident "seed missing"), else {@code count-mismatch}.
   */
  public String alarmKind() {
    return balancesWithinRange() ? "count-uncertain" : "count-mismatch";
  }

  private boolean balancesWithinRange() {
    OptionalInt expected = expectedImaged();
    return expected.isPresent() && imagedMin != imagedMax && expected.getAsInt() != imaged
        && expected.getAsInt() >= imagedMin && expected.getAsInt() <= imagedMax;
  }

  /** L0 - L2 - L3: how many seeds should be in the patient, if known. */
  public OptionalInt expectedImaged() {
    if (shipped.isEmpty() || remaining.isEmpty() || removed.isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(shipped.getAsInt() - remaining.getAsInt() - removed.getAsInt());
  }
}
