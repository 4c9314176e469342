package io.seedtrace.server.verification;

import io.seedtrace.dicom.volume.CtVolume;
import java.util.List;

/** Sends the detected seeds of a study back to the PACS (optional, {@code seedtrace.verification.send-to-pacs}). */
@FunctionalInterface
public interface ResultSender {

  void send(CtVolume volume, String patientId, String accession, List<double[]> seeds) throws Exception;
}
