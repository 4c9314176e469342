package io.seedtrace.server.verification;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.DoseOutcome;
import java.util.List;
import java.util.Optional;

/**
 * Sends the detected seeds of a study back to the PACS, and the implant's dose when it was computed
 * (optional, {@code seedtrace.verification.send-to-pacs}).
 */
@FunctionalInterface
public interface ResultSender {

  void send(ImageVolume volume, String patientId, String accession, List<double[]> seeds) throws Exception;

  /**
   * Sends the dose as an RT Dose; by default not at all.
   *
   * @param rtPlanUid the implant's plan when it came as a DICOM RT Plan
   * @param seeds the seeds the dose was computed from (for a post-implant plan where there is no DICOM one)
   */
  default void sendDose(ImageVolume volume, String patientId, String accession, DoseOutcome dose,
      Optional<String> rtPlanUid, List<io.seedtrace.detection.Seed> seeds) throws Exception {}
}
