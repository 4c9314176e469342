package io.seedtrace.server.console.implants;

import java.util.Date;

/**
 * One implant as the list shows it: the procedure, its patient, and the state of its latest
 * verification report.
 *
 * @param procedureId the Procedure's id
 * @param performed when the seeds were implanted (may be null)
 * @param patient the patient's reference and, when readable, name or identifier
 * @param cartridgeId the id of the cartridge (Device) the seeds came from, or null
 * @param status the verification state ({@link VerificationStatus})
 * @param reportId the latest report's id, or null while waiting for the CT
 * @param signedOffBy who signed the report off, or null
 */
public record ImplantRow(String procedureId, Date performed, String patient, String cartridgeId,
    VerificationStatus status,
    String reportId, String signedOffBy) {}
