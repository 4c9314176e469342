package io.seedtrace.routes.verification;

import java.util.Optional;

/**
 * The implant a CT study was matched to, as references into the record system.
 *
 * @param patient the patient, e.g. {@code Patient/12}
 * @param procedure the implant procedure, e.g. {@code Procedure/40}
 * @param cartridge the seed cartridge the implant used, if the procedure names one
 * @param matchedBy how the study was matched (accession number, or patient and date)
 */
public record Implant(String patient, String procedure, Optional<String> cartridge, String matchedBy) {}
