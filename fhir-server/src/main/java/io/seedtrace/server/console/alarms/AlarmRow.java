package io.seedtrace.server.console.alarms;

import java.util.Date;

/**
 * One SeedAlert in the inbox.
 *
 * @param id the DetectedIssue's id
 * @param kind the alarm's code, e.g. {@code count-mismatch}
 * @param severity {@code high}, {@code moderate} or {@code low}
 * @param detail the alarm in words
 * @param identified when it was raised
 * @param patient the patient's reference, or empty
 * @param reportId the verification report it concerns, or null
 * @param acknowledgement who acknowledged it and their comment, or null while open
 * @param escalated whether it was escalated to the administrator
 */
public record AlarmRow(String id, String kind, String severity, String detail, Date identified, String patient,
    String reportId, String acknowledgement, boolean escalated) {}
