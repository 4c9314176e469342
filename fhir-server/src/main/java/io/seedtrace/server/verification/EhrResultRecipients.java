package io.seedtrace.server.verification;

import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.routes.verification.IncompleteSeries;
import io.seedtrace.routes.verification.ResultRecipients;
import io.seedtrace.routes.verification.StoredResults;
import io.seedtrace.routes.verification.StudyVerification;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.ehr.EhrOutbox;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers stored results: the bundle (and the withdrawal of a superseded report) into the EHR
 * outbox, keyed by the verification id so a repeat queues nothing twice; one administrator
 * message per alarm; the detected seeds to the PACS when configured. Then the verification is
 * recorded as finished.
 */
public final class EhrResultRecipients implements ResultRecipients {

  private static final Logger LOG = LoggerFactory.getLogger(EhrResultRecipients.class);

  private final EhrOutbox outbox;
  private final VerificationTables tables;
  private final AdminChannel admin;
  private final AuditTrail audit;
  private final boolean sendToPacs;
  private final ResultSender pacs;

  public EhrResultRecipients(EhrOutbox outbox, VerificationTables tables, AdminChannel admin, AuditTrail audit,
      boolean sendToPacs, ResultSender pacs) {
    this.outbox = outbox;
    this.tables = tables;
    this.admin = admin;
    this.audit = audit;
    this.sendToPacs = sendToPacs;
    this.pacs = pacs;
  }

  @Override
  public void deliver(StudyVerification v) {
    String vid = v.verificationId();
    StoredResults stored = v.stored();
    List<Alarm> alarms = v.alarms();
    outbox.enqueue(stored.patient(), "verification " + vid + " (" + (alarms.isEmpty() ? "no alarm"
        : alarms.size() + " alarm(s)") + ")", vid, stored.ehrMessage());
    stored.supersedes().ifPresent(earlier -> {
      outbox.enqueue(stored.patient(), "verification " + vid + " supersedes " + earlier.verificationId(),
          vid + "#supersedes", earlier.ehrMessage());
      tables.superseded(earlier.verificationId(), vid);
      LOG.info("Verification {} supersedes {} ({} is now entered-in-error)", vid, earlier.verificationId(),
          earlier.reportId());
    });
    for (Alarm alarm : alarms) {
      admin.tell(alarm.kind(), "Seed verification alarm for " + stored.patient() + " (" + v.implant().procedure()
          + "): " + alarm.detail(), stored.reportId());
    }
    if (sendToPacs) {
      try {
        pacs.send(v.volume(), v.event().patientId(), v.event().accessionNumber(), v.detectedCentres());
      } catch (Exception e) {
        LOG.warn("Sending the detected seeds of {} to the PACS failed: {}", v.event().seriesUid(), e.getMessage());
      }
      if (v.dose().isPresent()) {
        try {
          pacs.sendDose(v.volume(), v.event().patientId(), v.event().accessionNumber(), v.dose().get(),
              v.plan().flatMap(PlanSource::rtPlanUid), v.detection().seeds());
        } catch (Exception e) {
          LOG.warn("Sending the dose of {} to the PACS failed: {}", v.event().seriesUid(), e.getMessage());
        }
      }
    }
    audit.record("seedtrace-verification", "", "verify", AuditEvent.AuditEventAction.C, stored.reportId(),
        AuditTrail.Outcome.SUCCESS, "series " + v.event().seriesUid() + ": " + v.detection().count() + " seeds, "
            + alarms.size() + " alarm(s)");
    String status = IncompleteSeries.of(v.event()) ? "PRELIMINARY" : alarms.isEmpty() ? "DONE" : "ALARM";
    tables.finished(vid, status, stored.conclusion(), stored.reportId(), v.timingLine());
    outbox.kick();
    LOG.info("Verified series {}: {} ({})", v.event().seriesUid(), v.conclusion(), v.timingLine());
  }
}
