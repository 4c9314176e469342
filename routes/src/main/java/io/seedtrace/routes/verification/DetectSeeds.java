package io.seedtrace.routes.verification;

import io.seedtrace.detection.BudgetedDetector;
import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.DetectionTimeoutException;
import io.seedtrace.detection.UnusableScanException;
import io.seedtrace.dicom.volume.ImageVolume;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Third step: the seeds are found in the volume within the detection budget. A detection stopped
 * at its budget, or a volume the detector refuses, ends the study here as "detection did not
 * complete": nobody may read a missing report as "all seeds accounted for".
 */
public final class DetectSeeds implements Processor {

  static final String INCOMPLETE = "detection-incomplete";

  private final BudgetedDetector detector;
  private final VerificationArchive archive;

  DetectSeeds(BudgetedDetector detector, VerificationArchive archive) {
    this.detector = detector;
    this.archive = archive;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    ImageVolume volume = v.volume();
    CtScan scan = scanOf(volume);
    try {
      v.detected(detector.detect(scan));
    } catch (DetectionTimeoutException | UnusableScanException incomplete) {
      archive.notVerified(v, new Alarm(INCOMPLETE, "Seed detection did not complete for CT series "
          + v.event().seriesUid() + " of implant " + v.implant().procedure() + ": " + incomplete.getMessage()
          + ". The seeds of this implant are NOT verified; check the study or verify by hand."));
      exchange.setRouteStop(true);
      return;
    }
    v.timed("detection", t0);
  }

  /**
   * The detection module's view of an assembled volume (the voxel array is shared, not copied): the
   * one place where dicom-node's volume becomes detection's scan.
   */
  public static CtScan scanOf(ImageVolume volume) {
    return new CtScan(volume.nx(), volume.ny(), volume.nz(), volume.dx(), volume.dy(), volume.dz(),
        volume.origin(), volume.rowDirection(), volume.columnDirection(), volume.sliceDirection(), volume.voxels());
  }
}
