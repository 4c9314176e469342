package io.seedtrace.server.alerts;

import io.seedtrace.server.custody.CustodyCodes;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Reference;

/** Builds SeedAlert DetectedIssues (profile seed-alert). */
public final class Alerts {

  private Alerts() {}

  public static DetectedIssue alert(String kind, DetectedIssue.DetectedIssueSeverity severity, String detail,
      List<String> implicated) {
    DetectedIssue issue = new DetectedIssue();
    issue.getMeta().addProfile(CustodyCodes.PROFILE_ALERT);
    issue.addIdentifier().setSystem(CustodyCodes.SID_ALERT).setValue("ALR-" + UUID.randomUUID());
    issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
    issue.setCode(CustodyCodes.concept(kind));
    issue.setSeverity(severity);
    issue.setIdentified(new org.hl7.fhir.r4.model.DateTimeType(new Date()));
    issue.setDetail(detail);
    for (String ref : implicated) {
      issue.addImplicated(new Reference(ref));
    }
    return issue;
  }
}
