package io.seedtrace.detection.phantom.scanned;

/** The scanned body region (or a calibration object). */
public enum Site {
  /** Male pelvis at the level of the prostate: transperineal permanent implant. */
  PROSTATE,
  /** Thorax with a lung tumour: CT-guided permanent implant along oblique needle tracks. */
  LUNG,
  /** A 200 mm water cylinder, for calibration and noise measurements. */
  WATER_PHANTOM
}
