package io.seedtrace.dosimetry.dvh;

/** What a structure is to the dose evaluation of a prostate implant. */
public enum StructureRole {
  /** The prostate or the clinical/planning target volume: D90, V100, V150, V200. */
  TARGET,
  /** Organ at risk inside the target: D10, D30. */
  URETHRA,
  /** Organ at risk behind the target: D2cc, V100 (cc). */
  RECTUM,
  /** Organ at risk above the target: its DVH only (D2cc). */
  BLADDER
}
