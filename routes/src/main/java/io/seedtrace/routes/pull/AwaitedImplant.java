package io.seedtrace.routes.pull;

import java.time.Instant;

/**
 * An implant still waiting for its post-operative CT to be verified.
 *
 * @param procedure the implant procedure, e.g. {@code Procedure/40}
 * @param dicomPatientId the patient's ID as the PACS knows it (DICOM Patient ID)
 * @param performedAt when the implant was performed
 */
public record AwaitedImplant(String procedure, String dicomPatientId, Instant performedAt) {
  public AwaitedImplant {
    if (procedure == null || procedure.isBlank() || performedAt == null) {
      throw new IllegalArgumentException("an awaited implant needs its procedure and time, got " + procedure + ", "
          + performedAt);
    }
  }
}
