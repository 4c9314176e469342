package io.seedtrace.core.assembly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-operative check of a cartridge against a procedure's requirement, with I-125 decay from the
 * calibration time to the implant time. All seeds of a cartridge share model and nominal activity,
 * so they conform or not together; seeds beyond the number needed are surplus.
 */
public final class ConformityCheck {

  /** The outcome: how many seeds conform and are used, how many are surplus or non-conforming, and why. */
  public record Result(int conforming, int nonConforming, int surplus, double activityPerSeedAtImplantMbq,
      List<String> reasons) {

    public Result {
      reasons = List.copyOf(reasons);
    }

    /** Seeds to take out of this surgery (non-conforming and surplus): they go to the storage model. */
    public int removed() {
      return nonConforming + surplus;
    }
  }

  private ConformityCheck() {}

  public static Result check(String cartridgeModel, int seedCount, double seedActivityMbq, Instant calibration,
      SeedRequirement need) {
    double atImplant = Decay.activityAt(seedActivityMbq, calibration, need.implantTime());
    List<String> reasons = new ArrayList<>();
    if (!cartridgeModel.equals(need.model())) {
      reasons.add("model " + cartridgeModel + " is not the required " + need.model());
    }
    double low = need.activityPerSeedMbq() * (1 - need.tolerance());
    double high = need.activityPerSeedMbq() * (1 + need.tolerance());
    if (atImplant < low || atImplant > high) {
      reasons.add(String.format("activity per seed at implant %.2f MBq is outside %.2f-%.2f MBq", atImplant, low, high));
    }
    if (!reasons.isEmpty()) {
      return new Result(0, seedCount, 0, atImplant, reasons);
    }
    int used = Math.min(seedCount, need.seeds());
    if (seedCount < need.seeds()) {
      reasons.add("only " + seedCount + " seeds for the " + need.seeds() + " needed");
    }
    return new Result(used, 0, seedCount - used, atImplant, reasons);
  }
}
