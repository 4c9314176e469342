package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;

/**
 * A study taken from the verification queue by this node.
 *
 * @param verificationId one per series version (series UID and instance count)
 * @param event the series as the DICOM node reported it
 * @param attempt 1 for the first attempt, more after a failure or a crash of the node that held it
 * @param claim what proves this node holds the study; only its holder can settle it
 */
public record QueuedStudy(String verificationId, SeriesStableEvent event, int attempt, String claim) {

  /** The verification id of a series version. */
  public static String verificationId(SeriesStableEvent event) {
    return "VER-" + event.seriesUid() + "-" + event.instanceCount();
  }
}
