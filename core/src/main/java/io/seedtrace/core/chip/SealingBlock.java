package io.seedtrace.core.chip;

import java.time.Instant;

/**
 * What the hospital appends to the chip at sealing (MISSION.md stage 4): who sealed, when the
 * surgery was, and what is left in the cartridge. The patient-identifying fields (inpatient number,
 * patient name) are not in clear here: {@code protectedPatientFields} is their encryption under the
 * sealing record's data key (see {@code SealingVault#encryptForChip}), so only a trace-key holder
 * reads them.
 *
 * @param remainingActivityKbq total activity of the remaining seeds at {@code surgeryTime}, whole kBq
 * @param protectedPatientFields 12-byte IV followed by the AES-GCM ciphertext and tag
 */
public record SealingBlock(String cartridgeSerial, String hospital, String department, String doctor,
    String surgicalDepartment, Instant surgeryTime, int remainingCount, long remainingActivityKbq,
    byte[] protectedPatientFields) {

  static final int MAX_PROTECTED = 160;

  public SealingBlock {
    InitialBlock.text("cartridgeSerial", cartridgeSerial, 32);
    InitialBlock.text("hospital", hospital, 64);
    InitialBlock.text("department", department, 32);
    InitialBlock.text("doctor", doctor, 48);
    InitialBlock.text("surgicalDepartment", surgicalDepartment, 32);
    if (surgeryTime == null) {
      throw new IllegalArgumentException("surgeryTime is required");
    }
    if (remainingCount < 0 || remainingCount > InitialBlock.MAX_SEEDS) {
      throw new IllegalArgumentException("remainingCount must be 0-" + InitialBlock.MAX_SEEDS);
    }
    if (remainingActivityKbq < 0 || remainingActivityKbq > InitialBlock.MAX_TOTAL_KBQ) {
      throw new IllegalArgumentException("remainingActivityKbq out of range: " + remainingActivityKbq);
    }
    if (protectedPatientFields == null || protectedPatientFields.length < 28
        || protectedPatientFields.length > MAX_PROTECTED) {
      throw new IllegalArgumentException("protected patient fields must be 28-" + MAX_PROTECTED + " bytes");
    }
    protectedPatientFields = protectedPatientFields.clone();
  }

  @Override
  public byte[] protectedPatientFields() {
    return protectedPatientFields.clone();
  }
}
