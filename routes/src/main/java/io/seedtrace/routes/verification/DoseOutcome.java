package io.seedtrace.routes.verification;

import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import java.util.List;

/**
 * The dose of a verified implant: what was computed, on which structures, and the notes a reader of
 * the figures must know (approximations, assumptions).
 *
 * @param result grid, DVHs, metrics and findings
 * @param structures the RT Structure Set the DVHs were computed on (its ROI numbers are the DVHs' references)
 * @param seedModel the TG-43 data used
 * @param airKermaStrengthU S_K of each seed at the implant time
 * @param strengthAt the time {@code airKermaStrengthU} holds at (the implant, or the CT when the implant time is unknown)
 * @param prescriptionGy the prescription the metrics and findings were judged against
 * @param dvhPng the DVH plot
 * @param notes e.g. "12 seeds without a known axis: point-source approximation"
 */
public record DoseOutcome(ImplantDosimetry.Result result, StructureSetContours structures, String seedModel,
    double airKermaStrengthU, java.time.Instant strengthAt, double prescriptionGy, byte[] dvhPng, List<String> notes) {

  public DoseOutcome {
    notes = List.copyOf(notes);
  }
}
