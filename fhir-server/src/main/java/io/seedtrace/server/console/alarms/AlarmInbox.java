package io.seedtrace.server.console.alarms;

import io.seedtrace.server.console.ConsoleSearch;
import io.seedtrace.server.console.report.SignOff;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.verification.VerificationResults;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The SeedAlerts, most severe first and newest first within a severity, open or acknowledged, a
 * page at a time; and their acknowledgement.
 * An acknowledged alarm keeps everything it said and gains a mitigation (who, when, the comment),
 * its status becomes {@code amended} and it is tagged {@code acknowledged} (the inbox's "open" is
 * every alarm without that tag), the matching Flag
 * on the patient becomes inactive with its period ended, and the act is an AuditEvent. An open
 * alarm may instead be escalated: its severity becomes {@code high}, it is tagged {@code escalated},
 * the administrator channel is told (who, why) and the act is an AuditEvent; it stays open.
 */
public final class AlarmInbox {

  /** The tag an acknowledged alarm carries (DetectedIssue has no status search parameter in R4). */
  public static final String TAG_SYSTEM = CustodyCodes.BASE + "console-tag";
  public static final String ACKNOWLEDGED = "acknowledged";
  /** The tag an escalated alarm carries. */
  public static final String ESCALATED = "escalated";

  /** Longest acknowledgement comment accepted. */
  public static final int MAX_COMMENT = 1000;

  private final FhirStore store;
  private final ConsoleSearch search;
  private final AuditTrail audit;
  private final AdminChannel admin;

  public AlarmInbox(FhirStore store, ConsoleSearch search, AuditTrail audit, AdminChannel admin) {
    this.store = store;
    this.search = search;
    this.audit = audit;
    this.admin = admin;
  }

  /** A page of alarms, the offset of the next page (-1 when there is none) and how many match in all. */
  public record Page(List<AlarmRow> rows, int nextOffset, long total) {}

  /** The severities an alarm may have (DetectedIssue.severity), most severe first. */
  public static final List<String> SEVERITIES = List.of("high", "moderate", "low");

  /**
   * A page of alarms, most severe first, then newest first.
   *
   * @param severity one of {@link #SEVERITIES}, or null for every severity (searched with the
   *     package's {@code DetectedIssue?severity=} parameter)
   */
  public Page page(boolean open, String severity, int offset, int size) {
    ConsoleSearch.Query query = new ConsoleSearch.Query("DetectedIssue").tag(!open, TAG_SYSTEM, ACKNOWLEDGED);
    if (severity != null) {
      query.token("severity", null, severity);
    }
    ConsoleSearch.Ids ids = search.page(query, ORDER, offset, size);
    List<AlarmRow> rows = new ArrayList<>();
    for (DetectedIssue issue : search.resources(DetectedIssue.class, ids.ids())) {
      rows.add(row(issue));
    }
    return new Page(rows, offset + size < ids.total() ? offset + size : -1, ids.total());
  }

  /**
   * Most severe first (high, moderate, low; an alarm whose severity the index does not hold yet
   * comes last), then newest first by the alarm's {@code identified} time, then the latest stored.
   */
  private static final String ORDER = "ORDER BY COALESCE((SELECT MIN(CASE s.sp_value WHEN 'high' THEN 0"
      + " WHEN 'moderate' THEN 1 WHEN 'low' THEN 2 END) FROM hfj_spidx_token s WHERE s.res_id = r.res_id"
      + " AND s.sp_name = 'severity'), 3), (SELECT MAX(d.sp_value_high) FROM hfj_spidx_date d"
      + " WHERE d.res_id = r.res_id AND d.sp_name = 'identified') DESC NULLS LAST, r.res_id DESC";

  private static AlarmRow row(DetectedIssue issue) {
    String report = issue.getImplicated().stream().map(Reference::getReference)
        .filter(r -> r != null && r.startsWith("DiagnosticReport/")).map(r -> r.substring(r.indexOf('/') + 1))
        .findFirst().orElse(null);
    String ack = issue.hasMitigation() ? issue.getMitigationFirstRep().getAuthor().getDisplay() + ": "
        + issue.getMitigationFirstRep().getAction().getText() : null;
    return new AlarmRow(issue.getIdElement().getIdPart(), issue.getCode().getCodingFirstRep().getCode(),
        issue.hasSeverity() ? issue.getSeverity().toCode() : "", issue.getDetail(),
        issue.hasIdentifiedDateTimeType() ? issue.getIdentifiedDateTimeType().getValue() : null,
        issue.hasPatient() ? issue.getPatient().getReference() : "", report, ack,
        issue.getMeta().getTag(TAG_SYSTEM, ESCALATED) != null);
  }

  /**
   * @throws ResponseStatusException 400 for an empty or too long comment, 404 for an unknown alarm,
   *     409 for one already acknowledged
   */
  public synchronized void acknowledge(String id, String comment, String person, String role, String peer) {
    String text = comment(comment, "An acknowledgement");
    DetectedIssue issue = openAlarm(id);
    Reference author = new Reference().setIdentifier(new Identifier().setSystem(SignOff.SID_CONSOLE_USER).setValue(person))
        .setDisplay(person + " (" + role + ")");
    issue.addMitigation().setAction(new CodeableConcept().setText("Acknowledged: " + text))
        .setDate(new Date()).setAuthor(author);
    issue.setStatus(DetectedIssue.DetectedIssueStatus.AMENDED);
    issue.getMeta().addTag(TAG_SYSTEM, ACKNOWLEDGED, "acknowledged in the console");
    store.update(issue);
    for (Identifier identifier : issue.getIdentifier()) {
      if (CustodyCodes.SID_ALERT.equals(identifier.getSystem())) {
        for (Flag flag : store.byIdentifier(Flag.class, VerificationResults.SID_FLAG, identifier.getValue())) {
          flag.setStatus(Flag.FlagStatus.INACTIVE);
          flag.getPeriod().setEnd(new Date());
          flag.setAuthor(author);
          store.update(flag);
        }
      }
    }
    audit.record(person, peer, "alarm-acknowledge", AuditEvent.AuditEventAction.U, "DetectedIssue/" + id,
        AuditTrail.Outcome.SUCCESS, "seed alarm acknowledged by a physician in the console");
  }

  /**
   * @throws ResponseStatusException 400 for an empty or too long comment, 404 for an unknown alarm,
   *     409 for one already acknowledged or escalated
   */
  public synchronized void escalate(String id, String comment, String person, String role, String peer) {
    String text = comment(comment, "An escalation");
    DetectedIssue issue = openAlarm(id);
    if (issue.getMeta().getTag(TAG_SYSTEM, ESCALATED) != null) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "This alarm is already escalated.");
    }
    issue.setSeverity(DetectedIssue.DetectedIssueSeverity.HIGH);
    issue.getMeta().addTag(TAG_SYSTEM, ESCALATED, "escalated by " + person + " (" + role + ")");
    store.update(issue);
    admin.tell("alarm-escalated", "Seed alarm DetectedIssue/" + id + " (" + issue.getCode().getCodingFirstRep().getCode()
        + ") escalated by " + person + " (" + role + "): " + text + ". The alarm: " + issue.getDetail(),
        "DetectedIssue/" + id);
    audit.record(person, peer, "alarm-escalate", AuditEvent.AuditEventAction.U, "DetectedIssue/" + id,
        AuditTrail.Outcome.SUCCESS, "seed alarm escalated to the administrator in the console");
  }

  private static String comment(String comment, String what) {
    String text = comment == null ? "" : comment.strip();
    if (text.isEmpty() || text.length() > MAX_COMMENT) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          what + " needs a comment of 1 to " + MAX_COMMENT + " characters.");
    }
    return text;
  }

  /** An alarm not yet acknowledged. */
  private DetectedIssue openAlarm(String id) {
    DetectedIssue issue = (id.matches("[A-Za-z0-9.-]{1,64}") ? store.readOptional(DetectedIssue.class, id)
        : java.util.Optional.<DetectedIssue>empty())
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No alarm " + id + "."));
    if (issue.getStatus() == DetectedIssue.DetectedIssueStatus.AMENDED || issue.hasMitigation()) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "This alarm is already acknowledged.");
    }
    return issue;
  }
}
