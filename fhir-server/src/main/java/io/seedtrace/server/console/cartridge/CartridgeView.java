package io.seedtrace.server.console.cartridge;

import java.util.Date;
import java.util.List;

/**
 * A cartridge as its page shows it: what the chip said, its activity decayed to now, the storage
 * model's decision on the seeds removed at assembly, and its custody from order to seal.
 *
 * @param deviceId the Device's id
 * @param seedsAtCalibration seeds the chip declared (L0)
 * @param seedActivityNowMbq one seed's activity decayed to now
 * @param timeline the custody steps, oldest first
 * @param sealingRecord the decrypted sealing record (name, value), empty unless traced with the key
 */
public record CartridgeView(String deviceId, String serial, String lot, String model, String manufacturer,
    String location, int seedsAtCalibration, Date calibration, double seedActivityNowMbq, Storage storage,
    List<Step> timeline, List<String[]> sealingRecord) {

  /**
   * One custody step.
   *
   * @param stage where the step belongs in the chain (order 0, shipment 1, receipt 2, assembly 3,
   *     implant 4, seal 5, verification 6, return 7); steps are shown in this order, then by time,
   *     so a clock that disagrees between systems does not reorder the custody
   * @param who who did it; {@code null} when the person may not read who (Provenance) and did not trace
   * @param counts the seeds it concerns, in words
   * @param activityNow the activity of those seeds decayed to now, in words, or empty
   */
  public record Step(int stage, Date when, String what, String who, String where, String counts, String activityNow,
      String reference) {}

  /**
   * The storage model's answer for the seeds removed at assembly.
   *
   * @param decision {@code not assembled yet}, {@code none removed}, {@code retain at hospital} or {@code return to manufacturer}
   * @param why the assembly's reasons and the model's explanation, as recorded
   * @param returnTask the return Task, when the seeds go back
   */
  public record Storage(String decision, Integer removed, String why, String returnTask) {}

  public boolean traced() {
    return !sealingRecord.isEmpty();
  }
}
