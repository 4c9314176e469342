package io.seedtrace.server.verification;

import ca.uhn.fhir.context.FhirContext;
import io.seedtrace.detection.BudgetedDetector;
import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.DetectionTimeoutException;
import io.seedtrace.detection.DetectorSettings;
import io.seedtrace.detection.Seed;
import io.seedtrace.detection.SeedDetector;
import io.seedtrace.detection.UnusableScanException;
import io.seedtrace.detection.plan.PositionSettings;
import io.seedtrace.detection.plan.PositionVerification;
import io.seedtrace.detection.plan.PositionVerifier;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.volume.CtVolume;
import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.volume.VolumeException;
import io.seedtrace.routes.verification.SeriesVerifier;
import io.seedtrace.server.custody.AdminChannel;
import io.seedtrace.server.custody.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.custody.FhirStore;
import io.seedtrace.server.custody.Provenances;
import io.seedtrace.server.ehr.EhrOutbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification of a post-operative CT (MISSION.md stages 3 and 5): match the study to its
 * implant, assemble the volume, find the seeds, compare them with the plan and the counts with the
 * chain of custody, store the results and queue them for the EHR. Runs once per series version
 * (series UID and instance count): a repeated event after a crash or a failure finds the
 * verification done, or redoes it; every result has an identifier derived from the verification
 * id and is created conditionally, so nothing is stored or delivered twice.
 */
public final class CtVerification implements SeriesVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(CtVerification.class);
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final FhirStore store;
  private final VerificationTables tables;
  private final StudyMatcher matcher;
  private final PlanSource plans;
  private final EhrOutbox outbox;
  private final AdminChannel admin;
  private final AuditTrail audit;
  private final VerificationProperties properties;
  private final ResultSender pacs;
  private final BudgetedDetector detector;

  /** Sends the detected seeds back to the PACS (optional). */
  @FunctionalInterface
  public interface ResultSender {
    void send(CtVolume volume, String patientId, String accession, List<double[]> seeds) throws Exception;
  }

  public CtVerification(FhirStore store, VerificationTables tables, StudyMatcher matcher, PlanSource plans,
      EhrOutbox outbox, AdminChannel admin, AuditTrail audit, VerificationProperties properties, ResultSender pacs) {
    this.store = store;
    this.tables = tables;
    this.matcher = matcher;
    this.plans = plans;
    this.outbox = outbox;
    this.admin = admin;
    this.audit = audit;
    this.properties = properties;
    this.pacs = pacs;
    this.detector = new BudgetedDetector(new SeedDetector(DetectorSettings.defaults()), properties.detectionBudget());
  }

  @Override
  public void onSeriesStable(SeriesStableEvent event) throws Exception {
    if (!properties.enabled()) {
      return;
    }
    String modality = event.modality() == null ? "" : event.modality();
    if (modality.equals("RTPLAN") || modality.equals("RTSTRUCT") || modality.equals("REG")) {
      keepRtObjects(event, modality);
      return;
    }
    if (!modality.equals("CT")) {
      return;
    }
    verify(event);
  }

  private void keepRtObjects(SeriesStableEvent event, String kind) {
    for (Path path : event.paths()) {
      String sop = path.getFileName().toString().replaceFirst("\\.dcm$", "");
      tables.saveRtObject(new VerificationTables.RtObject(sop, kind, event.patientId(), event.studyUid(),
          event.frameOfReferenceUid(), path.toAbsolutePath().toString(), Instant.now()));
    }
    LOG.info("Kept {} {} object(s) of patient {} as plan source(s)", event.paths().size(), kind, event.patientId());
  }

  /** Verifies one CT series; returns the verification id. */
  public synchronized String verify(SeriesStableEvent event) throws Exception {
    String vid = "VER-" + event.seriesUid() + "-" + event.instanceCount();
    Optional<VerificationTables.Row> done = tables.find(vid);
    if (done.isPresent() && !done.get().status().equals("RUNNING") && !done.get().status().equals("FAILED")) {
      LOG.info("Series {} ({} instances) was verified already ({}); event ignored", event.seriesUid(),
          event.instanceCount(), done.get().status());
      return vid;
    }
    tables.started(vid, event.seriesUid(), event.studyUid());
    Map<String, Long> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    Instant studyTime = studyTime(event.paths());
    Optional<StudyMatcher.Match> match = matcher.match(event.accessionNumber(), event.patientId(), studyTime);
    timings.put("match", ms(t0));
    if (match.isEmpty()) {
      unmatched(vid, event);
      return vid;
    }
    Procedure procedure = match.get().procedure();
    String procedureId = procedure.getIdElement().toUnqualifiedVersionless().getValue();
    String patientId = procedure.getSubject().getReference();
    Patient patient = store.read(Patient.class, patientId);
    Optional<String> deviceRef = procedure.getFocalDevice().stream().map(f -> f.getManipulated().getReference())
        .filter(r -> r != null && r.startsWith("Device/")).findFirst();
    if (deviceRef.isEmpty()) {
      refuse(vid, event, "the implant " + procedureId + " names no cartridge (focalDevice)");
      return vid;
    }
    Device device = store.read(Device.class, deviceRef.get());

    long t1 = System.nanoTime();
    CtVolume volume;
    try {
      volume = VolumeAssembler.assemble(event.paths());
    } catch (VolumeException refused) {
      if (IncompleteSeries.of(event)) {
        seriesIncomplete(vid, event, new Subject(patient, procedure, device), refused.getMessage());
      } else {
        refuse(vid, event, "the CT series cannot be used: " + refused.getMessage());
      }
      return vid;
    }
    timings.put("assembly", ms(t1));
    long t2 = System.nanoTime();
    CtScan scan = new CtScan(volume.nx(), volume.ny(), volume.nz(), volume.dx(), volume.dy(), volume.dz(),
        volume.origin(), volume.rowDirection(), volume.columnDirection(), volume.sliceDirection(), volume.voxels());
    DetectionResult detection;
    try {
      detection = detector.detect(scan);
    } catch (DetectionTimeoutException | UnusableScanException incomplete) {
      detectionIncomplete(vid, event, new Subject(patient, procedure, device), incomplete.getMessage());
      return vid;
    }
    timings.put("detection", ms(t2));

    long t3 = System.nanoTime();
    List<double[]> detected = detection.seeds().stream().map(Seed::centre).toList();
    Optional<Plan> plan = plans.find(procedureId, event.patientId(), volume.frameOfReferenceUid());
    Optional<PositionVerification> positions = plan.map(p -> PositionVerifier.verify(p.positions(), detected,
        p.toCtFrame(), new PositionSettings(properties.toleranceMm(), properties.scoreThreshold(),
            properties.maxPairDistanceMm(), PositionSettings.defaults().trimFraction())));
    List<Observation> deviceCounts = store.byReference(Observation.class, "device", deviceRef.get());
    CountModel counts = new CountModel(count(deviceCounts, "seed-count-shipped"), detection.count(),
        detection.minCount(), detection.maxCount(), count(deviceCounts, "seed-count-remaining"),
        count(deviceCounts, "seed-count-removed"));
    List<VerificationResults.Alarm> alarms = alarms(event, counts, positions);
    String conclusion = conclusion(counts, detection, positions, plan, match.get().how());
    timings.put("matching", ms(t3));

    long t4 = System.nanoTime();
    VerificationResults.Refs refs = new VerificationResults.Refs(patientId, procedureId, deviceRef.get(), urn(), urn(),
        urn(), urn());
    VerificationResults.Study study = new VerificationResults.Study(event.studyUid(), event.seriesUid(),
        volume.frameOfReferenceUid(), event.accessionNumber(), event.patientId(), studyTime, event.instanceCount());
    VerificationResults.Resources results = VerificationResults.build(vid, refs, study, detection, positions, plan,
        counts, alarms, conclusion);
    if (IncompleteSeries.of(event)) {
      IncompleteSeries.markPreliminary(results.report(), event);
    }
    Optional<ReportSupersession.Earlier> earlier = ReportSupersession.find(tables, event.seriesUid(), vid);
    earlier.ifPresent(e -> ReportSupersession.link(results.report(), e));
    Bundle ehr = EhrExport.bundle(patient, procedure, device, results.all());
    ReportSupersession.linkByIdentifierOnly(ehr);
    String reportId = storeResults(results, event, earlier);
    timings.put("fhirWrites", ms(t4));

    long t5 = System.nanoTime();
    outbox.enqueue(patientId, "verification " + vid + " (" + (alarms.isEmpty() ? "no alarm" : alarms.size()
        + " alarm(s)") + ")", vid, FHIR.newJsonParser().encodeResourceToString(ehr));
    earlier.ifPresent(e -> withdraw(patientId, vid, e));
    for (VerificationResults.Alarm alarm : alarms) {
      admin.tell(alarm.kind(), "Seed verification alarm for " + patientId + " (" + procedureId + "): " + alarm.detail(),
          reportId);
    }
    if (properties.sendToPacs()) {
      try {
        pacs.send(volume, event.patientId(), event.accessionNumber(), detected);
      } catch (Exception e) {
        LOG.warn("Sending the detected seeds of {} to the PACS failed: {}", event.seriesUid(), e.getMessage());
      }
    }
    timings.put("queue", ms(t5));
    timings.put("total", ms(t0));
    audit.record("seedtrace-verification", "", "verify", AuditEvent.AuditEventAction.C, reportId,
        AuditTrail.Outcome.SUCCESS, "series " + event.seriesUid() + ": " + detection.count() + " seeds, "
            + alarms.size() + " alarm(s)");
    tables.finished(vid, IncompleteSeries.of(event) ? "PRELIMINARY" : alarms.isEmpty() ? "DONE" : "ALARM",
        results.report().getConclusion(), reportId, timings.toString());
    outbox.kick();
    LOG.info("Verified series {}: {} ({})", event.seriesUid(), conclusion, timings);
    return vid;
  }

  /** The alarms of a verification: the series incomplete, the count balance, the positions. */
  private static List<VerificationResults.Alarm> alarms(SeriesStableEvent event, CountModel counts,
      Optional<PositionVerification> positions) {
    List<VerificationResults.Alarm> alarms = new ArrayList<>();
    if (IncompleteSeries.of(event)) {
      alarms.add(IncompleteSeries.alarm(event));
    }
    counts.alarms().forEach(a -> alarms.add(new VerificationResults.Alarm(counts.alarmKind(), a)));
    positions.filter(pv -> !pv.passed()).ifPresent(pv -> alarms.add(new VerificationResults.Alarm(
        "position-deviation", "Seed positions deviate from the plan: " + String.join("; ", pv.alarms()) + ".")));
    return alarms;
  }

  /**
   * Stores the results in one transaction (conditional creates, so a repeat creates nothing twice),
   * with their Provenance and, when they replace an earlier report, that report withdrawn. Returns
   * the new report's id.
   */
  private String storeResults(VerificationResults.Resources results, SeriesStableEvent event,
      Optional<ReportSupersession.Earlier> earlier) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Resource r : results.all()) {
      String url = r.getIdElement().getValue() != null && r.getIdElement().getValue().startsWith("urn:")
          ? r.getIdElement().getValue() : urn();
      r.setId((String) null);
      Bundle.BundleEntryComponent e = tx.addEntry().setFullUrl(url).setResource(r);
      e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType()).setIfNoneExist(identifierQuery(r));
    }
    List<String> targets = new ArrayList<>();
    tx.getEntry().forEach(e -> targets.add(e.getFullUrl()));
    tx.addEntry().setFullUrl(urn()).setResource(Provenances.of(targets, "seedtrace-verification", "verify",
        "series " + event.seriesUid())).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    earlier.flatMap(e -> store.readOptional(DiagnosticReport.class, e.reportId()))
        .ifPresent(old -> FhirStore.addUpdate(tx, ReportSupersession.withdrawn(old)));
    List<String> ids = FhirStore.locations(store.transaction(tx));
    return ids.get(results.all().indexOf(results.report()));
  }

  /** Tells the EHR, after the new results, that the earlier report of the series is withdrawn. */
  private void withdraw(String patientRef, String vid, ReportSupersession.Earlier earlier) {
    outbox.enqueue(patientRef, "verification " + vid + " supersedes " + earlier.verificationId(), vid + "#supersedes",
        FHIR.newJsonParser().encodeResourceToString(ReportSupersession.withdrawalAtEhr(earlier)));
    tables.superseded(earlier.verificationId(), vid);
    LOG.info("Verification {} supersedes {} ({} is now entered-in-error)", vid, earlier.verificationId(),
        earlier.reportId());
  }

  private void unmatched(String vid, SeriesStableEvent event) {
    String detail = "CT study " + event.studyUid() + " (patient ID '" + event.patientId() + "', accession '"
        + event.accessionNumber() + "') matches no seed implant procedure; it was not verified.";
    DetectedIssue alert = io.seedtrace.server.custody.Alerts.alert("unmatched-study",
        DetectedIssue.DetectedIssueSeverity.MODERATE, detail, List.of());
    alert.getIdentifierFirstRep().setValue(vid + "#unmatched");
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.addEntry().setFullUrl(urn()).setResource(alert).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl("DetectedIssue").setIfNoneExist("identifier=" + CustodyCodes.SID_ALERT + "|" + vid + "#unmatched");
    String alertId = FhirStore.locations(store.transaction(tx)).get(0);
    admin.tell("unmatched-study", detail + " See " + alertId + ".", alertId);
    audit.record("seedtrace-verification", "", "verify", AuditEvent.AuditEventAction.C, alertId,
        AuditTrail.Outcome.REFUSED, "series " + event.seriesUid() + " unmatched");
    tables.finished(vid, "UNMATCHED", detail, null, null);
    LOG.warn(detail);
  }

  /** The patient, implant and cartridge a study was matched to. */
  private record Subject(Patient patient, Procedure procedure, Device device) {}

  /**
   * The detection was stopped (past its budget) or refused the volume: nobody may read a missing
   * report as "all seeds accounted for", so a SeedAlert says the verification did not complete, the
   * administrator is told, and the alert goes to the EHR with the patient and implant it concerns.
   */
  private void detectionIncomplete(String vid, SeriesStableEvent event, Subject subject, String why) {
    String procedureId = subject.procedure().getIdElement().toUnqualifiedVersionless().getValue();
    notVerified(vid, event, subject, "detection-incomplete", "Seed detection did not complete for CT series "
        + event.seriesUid() + " of implant " + procedureId + ": " + why
        + ". The seeds of this implant are NOT verified; check the study or verify by hand.");
  }

  /**
   * The series is incomplete and its volume cannot be assembled (a gap): nothing is verified until
   * the whole series arrives, and the EHR and the administrator are told so.
   */
  private void seriesIncomplete(String vid, SeriesStableEvent event, Subject subject, String why) {
    notVerified(vid, event, subject, IncompleteSeries.KIND, "The CT series " + event.seriesUid() + " is incomplete ("
        + event.completeness().describe() + ") and cannot be assembled: " + why + ". The seeds of this implant are NOT"
        + " verified; they will be when the whole series arrives.");
  }

  /**
   * A study that was matched but could not be verified: a SeedAlert of {@code kind} on the patient,
   * implicating the implant and the cartridge, stored, queued for the EHR and told to the administrator.
   */
  private void notVerified(String vid, SeriesStableEvent event, Subject subject, String kind, String detail) {
    String procedureId = subject.procedure().getIdElement().toUnqualifiedVersionless().getValue();
    String deviceId = subject.device().getIdElement().toUnqualifiedVersionless().getValue();
    DetectedIssue alert = io.seedtrace.server.custody.Alerts.alert(kind,
        DetectedIssue.DetectedIssueSeverity.HIGH, detail, List.of(procedureId, deviceId));
    alert.getIdentifierFirstRep().setValue(vid + "#" + kind);
    alert.setPatient(new org.hl7.fhir.r4.model.Reference(subject.patient().getIdElement().toUnqualifiedVersionless()
        .getValue()));
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.addEntry().setFullUrl(urn()).setResource(alert.copy()).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl("DetectedIssue").setIfNoneExist("identifier=" + CustodyCodes.SID_ALERT + "|" + vid + "#" + kind);
    String alertId = FhirStore.locations(store.transaction(tx)).get(0);
    String patientRef = alert.getPatient().getReference();
    outbox.enqueue(patientRef, "verification " + vid + " (" + kind + ")", vid, FHIR.newJsonParser()
        .encodeResourceToString(EhrExport.bundle(subject.patient(), subject.procedure(), subject.device(),
            List.of(alert))));
    admin.tell(kind, detail + " See " + alertId + ".", alertId);
    audit.record("seedtrace-verification", "", "verify", AuditEvent.AuditEventAction.C, alertId,
        AuditTrail.Outcome.FAILED, "series " + event.seriesUid() + ": " + kind);
    tables.finished(vid, "INCOMPLETE", detail, null, null);
    outbox.kick();
    LOG.warn(detail);
  }

  private void refuse(String vid, SeriesStableEvent event, String why) {
    String detail = "CT series " + event.seriesUid() + " was not verified: " + why;
    admin.tell("verification-refused", detail, null);
    audit.record("seedtrace-verification", "", "verify", AuditEvent.AuditEventAction.C, "series",
        AuditTrail.Outcome.FAILED, detail);
    tables.finished(vid, "REFUSED", detail, null, null);
    LOG.warn(detail);
  }

  /** The newest final SeedCount of a kind among the cartridge's observations. */
  private static OptionalInt count(List<Observation> observations, String kind) {
    return observations.stream()
        .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> kind.equals(c.getCode())))
        .filter(o -> o.getStatus() == Observation.ObservationStatus.FINAL)
        .max(Comparator.comparing(o -> o.getMeta().getLastUpdated()))
        .map(o -> OptionalInt.of(o.getValueQuantity().getValue().intValue())).orElse(OptionalInt.empty());
  }

  static String conclusion(CountModel counts, DetectionResult detection, Optional<PositionVerification> positions,
      Optional<Plan> plan, String how) {
    StringBuilder s = new StringBuilder();
    OptionalInt expected = counts.expectedImaged();
    if (expected.isPresent() && expected.getAsInt() == detection.count()) {
      s.append("All ").append(counts.shipped().getAsInt()).append(" seeds accounted for: ").append(detection.count())
          .append(" seen on CT, ").append(counts.remaining().getAsInt()).append(" left in the sealed cartridge, ")
          .append(counts.removed().getAsInt()).append(" removed before implantation.");
    } else {
      s.append(String.join(" ", counts.alarms()));
    }
    if (positions.isPresent()) {
      PositionVerification pv = positions.get();
      s.append(pv.passed() ? " Positions match the plan" : " Positions do NOT match the plan")
          .append(String.format(" (similarity %.2f, %d matched, %d missing, %d extra", pv.score(), pv.pairs().size(),
              pv.missing().size(), pv.extra().size()));
      if (!pv.pairs().isEmpty()) {
        s.append(String.format(", largest displacement %.1f mm", pv.maxDisplacementMm()));
      }
      s.append(").");
    } else {
      s.append(" Positions not verified: no plan was found for this implant.");
    }
    s.append(" Study matched by ").append(how).append('.');
    return s.toString();
  }

  private static String identifierQuery(Resource r) {
    List<org.hl7.fhir.r4.model.Identifier> ids = FHIR.newTerser().getValues(r, r.fhirType() + ".identifier",
        org.hl7.fhir.r4.model.Identifier.class);
    return ids.stream().filter(i -> i.hasSystem() && i.hasValue()).findFirst()
        .map(i -> "identifier=" + i.getSystem() + "|" + i.getValue()).orElse(null);
  }

  /** StudyDate and StudyTime of the first file, else the time the series arrived. */
  static Instant studyTime(List<Path> paths) {
    try {
      DataSet ds = Part10.read(Files.readAllBytes(paths.get(0))).dataSet();
      String date = ds.getString(0x00080020, "");
      if (date.length() == 8) {
        String time = ds.getString(0x00080030, "");
        LocalTime lt = time.length() >= 6 ? LocalTime.parse(time.substring(0, 6), DateTimeFormatter.ofPattern("HHmmss"))
            : LocalTime.NOON;
        return LocalDate.parse(date, DateTimeFormatter.BASIC_ISO_DATE).atTime(lt).atZone(ZoneId.systemDefault())
            .toInstant();
      }
    } catch (IOException | RuntimeException | io.seedtrace.dicom.data.DicomFormatException unreadable) {
      // fall through
    }
    return Instant.now();
  }

  private static String urn() {
    return "urn:uuid:" + UUID.randomUUID();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
